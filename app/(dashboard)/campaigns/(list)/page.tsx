import { Megaphone, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { findApps } from "@/lib/apps/find-apps";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { findCampaigns } from "@/lib/campaigns/find-campaigns";
import { isAppError } from "@/lib/errors";
import { KeysetPagination } from "../../devices/keyset-pagination";
import { CampaignsTable, type CampaignRow } from "../campaigns-table";
import { CampaignFilters } from "../list-filters";
import {
  campaignPageLinks,
  hasCampaignFilters,
  readCampaignQuery,
  toFindCampaigns,
} from "../list-params";

export const metadata: Metadata = { title: "Campaigns" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CampaignsPage({ searchParams }: Props) {
  const actor = await requirePagePermission("campaigns.read");
  const principal = { kind: "user" as const, ...actor };
  const query = readCampaignQuery(await searchParams);
  const apps = await findApps(principal, { includeArchived: true });
  // A bad filter (an unknown status typed into the URL) is a message on the form, not a crash.
  const result = await findCampaigns(principal, toFindCampaigns(query)).catch((error: unknown) => {
    if (isAppError(error) || (error as Error).name === "ZodError") return null;
    throw error;
  });
  const rows: CampaignRow[] = (result?.campaigns ?? []).map((c) => ({
    id: c.id,
    name: c.name,
    app: { bundleId: c.app.bundleId, name: c.app.name },
    environment: c.environment,
    status: c.status,
    audienceCount: c.audienceCount,
    scheduledAt: c.scheduledAt ? new Date(c.scheduledAt).toISOString() : null,
    localTime: c.localTime,
    createdBy: c.createdBy?.name || c.createdBy?.email || null,
    updatedAt: new Date(c.updatedAt).toISOString(),
  }));
  const canWrite = can(actor.role, "campaigns.write");
  const newButton = canWrite ? (
    <Button asChild>
      <Link href="/campaigns/new">
        <Plus aria-hidden /> New campaign
      </Link>
    </Button>
  ) : null;
  const nothingYet = rows.length === 0 && !hasCampaignFilters(query) && !query.cursor && result;

  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Compose, preview, schedule and send notifications to an audience."
        actions={newButton}
      />
      {nothingYet ? (
        <EmptyState icon={Megaphone} title="No campaigns yet" action={newButton}>
          Your campaigns will be listed here with their status, audience size and schedule — drafts,
          scheduled sends and finished ones.
        </EmptyState>
      ) : (
        <div className="flex flex-col gap-6">
          <CampaignFilters
            query={query}
            apps={apps}
            error={
              result ? undefined : "These filters could not be applied: check the status and app."
            }
          />
          <section aria-label="Campaigns">
            <CampaignsTable rows={rows} />
            <KeysetPagination
              links={campaignPageLinks(query, result?.nextCursor ?? null)}
              shown={rows.length}
              noun={["campaign", "campaigns"]}
            />
          </section>
        </div>
      )}
    </>
  );
}
