"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { ScrollText } from "lucide-react";
import { DataTable } from "@/components/data-table";
import type { ServerPagination } from "@/components/data-table-pagination";
import { EmptyState } from "@/components/empty-state";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/lib/utils";

export type AuditRow = {
  id: number;
  createdAt: string;
  actorType: string;
  actorLabel: string;
  action: string;
  target: string | null;
  success: boolean;
  ip: string | null;
};

const columns: ColumnDef<AuditRow>[] = [
  {
    accessorKey: "createdAt",
    header: "When",
    cell: ({ row }) => (
      <span className="whitespace-nowrap tabular-nums">
        {formatDateTime(row.original.createdAt)}
      </span>
    ),
  },
  {
    accessorKey: "actorLabel",
    header: "Actor",
    cell: ({ row }) => (
      <div className="flex flex-col">
        <span className="max-w-56 truncate">{row.original.actorLabel}</span>
        <span className="text-muted-foreground text-xs">
          {row.original.actorType.replace("_", " ").toLowerCase()}
        </span>
      </div>
    ),
  },
  {
    accessorKey: "action",
    header: "Action",
    cell: ({ row }) => <code className="font-mono text-xs">{row.original.action}</code>,
  },
  {
    accessorKey: "target",
    header: "Target",
    cell: ({ row }) => (
      <span className="text-muted-foreground font-mono text-xs">{row.original.target ?? "—"}</span>
    ),
  },
  {
    accessorKey: "success",
    header: "Outcome",
    cell: ({ row }) =>
      row.original.success ? (
        <Badge variant="success">Success</Badge>
      ) : (
        <Badge variant="destructive">Failed</Badge>
      ),
  },
  {
    accessorKey: "ip",
    header: "IP",
    enableSorting: false,
    cell: ({ row }) => (
      <span className="text-muted-foreground font-mono text-xs">{row.original.ip ?? "—"}</span>
    ),
  },
];

export function AuditTable({
  rows,
  pagination,
}: {
  rows: AuditRow[];
  pagination: ServerPagination;
}) {
  return (
    <DataTable
      columns={columns}
      data={rows}
      caption="Audit log, newest first"
      getRowId={(row) => String(row.id)}
      pagination={pagination}
      empty={
        <EmptyState icon={ScrollText} title="Nothing recorded yet">
          Sign-ins and every change — users, apps, credentials, campaigns, devices — are recorded
          here.
        </EmptyState>
      }
    />
  );
}
