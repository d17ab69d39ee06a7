import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import {
  DELIVERY_KINDS,
  DELIVERY_STATUSES,
  deliverySearchSchema,
  findDeliveries,
} from "@/lib/deliveries/find-deliveries";
import { DeliveriesTable } from "./deliveries-table";

export const metadata: Metadata = { title: "Deliveries" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const label = (value: string) => value.charAt(0) + value.slice(1).toLowerCase();

export default async function DeliveriesPage({ searchParams }: Props) {
  const actor = await requirePagePermission("deliveries.read");
  const raw = await searchParams;
  const search = deliverySearchSchema.parse({
    status: raw.status || undefined,
    kind: raw.kind || undefined,
    cursor: raw.cursor || undefined,
  });
  const { deliveries, nextCursor } = await findDeliveries({ kind: "user", ...actor }, search);
  const filters = new URLSearchParams();
  if (search.status) filters.set("status", search.status);
  if (search.kind) filters.set("kind", search.kind);
  const href = (cursor?: number) => {
    const params = new URLSearchParams(filters);
    if (cursor) params.set("cursor", String(cursor));

    return params.size ? `/deliveries?${params}` : "/deliveries";
  };

  return (
    <>
      <PageHeader
        title="Deliveries"
        description="What was sent to which device, and what APNs answered. Newest first."
      />
      <form
        method="get"
        action="/deliveries"
        aria-label="Filter deliveries"
        className="bg-card mb-6 flex flex-wrap items-end gap-4 rounded-xl border p-4"
      >
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="filter-status">Status</Label>
          <Select
            id="filter-status"
            name="status"
            defaultValue={search.status ?? ""}
            className="w-44"
          >
            <option value="">Any status</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </Select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="filter-kind">Kind</Label>
          <Select id="filter-kind" name="kind" defaultValue={search.kind ?? ""} className="w-44">
            <option value="">Any kind</option>
            {DELIVERY_KINDS.map((k) => (
              <option key={k} value={k}>
                {label(k)}
              </option>
            ))}
          </Select>
        </div>
        <Button type="submit">Filter</Button>
        {filters.size ? (
          <Button variant="ghost" asChild>
            <Link href="/deliveries">Clear</Link>
          </Button>
        ) : null}
      </form>
      <DeliveriesTable
        rows={deliveries}
        linkDevices={can(actor.role, "devices.read")}
        filtered={filters.size > 0}
      />
      <nav aria-label="Pagination" className="flex justify-end gap-2 pt-3">
        {search.cursor ? (
          <Button variant="outline" size="sm" asChild>
            <Link href={href()}>Newest</Link>
          </Button>
        ) : null}
        {nextCursor ? (
          <Button variant="outline" size="sm" asChild>
            <Link href={href(nextCursor)}>Older</Link>
          </Button>
        ) : (
          <Button variant="outline" size="sm" disabled>
            Older
          </Button>
        )}
      </nav>
    </>
  );
}
