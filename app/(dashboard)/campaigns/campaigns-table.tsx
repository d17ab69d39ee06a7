"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { SearchX } from "lucide-react";
import Link from "next/link";
import { CampaignStatusBadge } from "@/components/campaigns/campaign-status-badge";
import { DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { RelativeTime } from "@/components/relative-time";
import { formatDateTime } from "@/lib/utils";

/** A campaign as the list shows it (dates as ISO strings, for the client). */
export type CampaignRow = {
  id: string;
  name: string;
  app: { bundleId: string; name: string };
  environment: string;
  status: string;
  audienceCount: number | null;
  scheduledAt: string | null;
  localTime: boolean;
  createdBy: string | null;
  updatedAt: string;
};

function schedule(row: CampaignRow) {
  if (!row.scheduledAt) return row.status === "scheduled" ? "Now" : "—";
  // A local-time schedule is a wall-clock time in each device's zone, not an instant.
  if (row.localTime) return `${row.scheduledAt.slice(0, 16).replace("T", " ")} device time`;

  return formatDateTime(row.scheduledAt);
}

const columns: ColumnDef<CampaignRow>[] = [
  {
    accessorKey: "name",
    header: "Name",
    cell: ({ row }) => (
      <Link
        href={`/campaigns/${row.original.id}`}
        className="font-medium underline-offset-4 hover:underline"
      >
        {row.original.name}
      </Link>
    ),
  },
  {
    id: "app",
    accessorFn: (row) => row.app.name,
    header: "App",
    cell: ({ row }) => (
      <span className="flex flex-col">
        <span>{row.original.app.name}</span>
        <span className="text-muted-foreground text-xs">{row.original.environment}</span>
      </span>
    ),
  },
  {
    accessorKey: "status",
    header: "Status",
    cell: ({ row }) => <CampaignStatusBadge status={row.original.status} />,
  },
  {
    accessorKey: "audienceCount",
    header: "Audience",
    cell: ({ row }) =>
      row.original.audienceCount === null ? (
        <span className="text-muted-foreground">—</span>
      ) : (
        <span className="tabular-nums">{row.original.audienceCount.toLocaleString("en-US")}</span>
      ),
  },
  {
    accessorKey: "scheduledAt",
    header: "Schedule",
    cell: ({ row }) => <span className="text-sm whitespace-nowrap">{schedule(row.original)}</span>,
  },
  {
    accessorKey: "createdBy",
    header: "Created by",
    cell: ({ row }) => row.original.createdBy ?? <span className="text-muted-foreground">—</span>,
  },
  {
    accessorKey: "updatedAt",
    header: "Updated",
    cell: ({ row }) => <RelativeTime value={row.original.updatedAt} />,
  },
];

export function CampaignsTable({ rows }: { rows: CampaignRow[] }) {
  return (
    <DataTable
      columns={columns}
      data={rows}
      caption="Campaigns"
      getRowId={(row) => row.id}
      empty={
        <EmptyState icon={SearchX} title="No campaigns match">
          Try another name or clear the filters.
        </EmptyState>
      }
    />
  );
}
