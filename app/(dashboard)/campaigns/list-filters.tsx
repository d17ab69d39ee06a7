import { Search, X } from "lucide-react";
import Link from "next/link";
import { CAMPAIGN_STATUSES } from "@/components/campaigns/campaign-status-badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import type { CampaignQuery } from "./list-params";

/** A plain GET form: filters live in the URL, so a filtered list can be shared and works without JS. */
export function CampaignFilters({
  query,
  apps,
  error,
}: {
  query: CampaignQuery;
  apps: { bundleId: string; name: string }[];
  error?: string;
}) {
  return (
    <form
      method="get"
      action="/campaigns"
      role="search"
      aria-label="Filter campaigns"
      className="bg-card grid gap-4 rounded-xl border p-4 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1.3fr_auto]"
    >
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="campaign-q">Name</Label>
        <Input
          id="campaign-q"
          name="q"
          defaultValue={query.q ?? ""}
          placeholder="Spring sale"
          autoComplete="off"
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="campaign-status">Status</Label>
        <Select id="campaign-status" name="status" defaultValue={query.status ?? ""}>
          <option value="">Any</option>
          {CAMPAIGN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.charAt(0).toUpperCase() + s.slice(1)}
            </option>
          ))}
        </Select>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="campaign-app">App</Label>
        <Select id="campaign-app" name="app" defaultValue={query.app ?? ""}>
          <option value="">All apps</option>
          {apps.map((app) => (
            <option key={app.bundleId} value={app.bundleId}>
              {app.name}
            </option>
          ))}
        </Select>
      </div>
      <div className="flex items-end gap-2">
        <Button type="submit">
          <Search aria-hidden /> Filter
        </Button>
        <Button variant="ghost" asChild>
          <Link href="/campaigns">
            <X aria-hidden /> Clear
          </Link>
        </Button>
      </div>
      {error ? <p className="text-destructive text-xs sm:col-span-full">{error}</p> : null}
    </form>
  );
}
