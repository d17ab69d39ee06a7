"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { SearchX } from "lucide-react";
import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { DeviceStatusBadge } from "@/components/device-status-badge";
import { CopyButton } from "@/components/copy-button";
import { EmptyState } from "@/components/empty-state";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import type { DeviceDto } from "@/lib/devices/device-dto";

export type DeviceRow = Pick<
  DeviceDto,
  | "id"
  | "app"
  | "environment"
  | "token"
  | "tokenMasked"
  | "userId"
  | "model"
  | "tags"
  | "status"
  | "lastRegisteredAt"
>;

const columns: ColumnDef<DeviceRow>[] = [
  {
    accessorKey: "token",
    header: "Token",
    cell: ({ row }) => {
      const shown = row.original.tokenMasked
        ? row.original.token
        : `${row.original.token.slice(0, 16)}…`;

      return (
        <span className="flex items-center gap-1">
          {/* The name says which device and contains the token as shown (WCAG 2.5.3). */}
          <Link
            href={`/devices/${row.original.id}`}
            className="hover:underline focus-visible:underline"
            aria-label={`Open device ${row.original.id}, token ${shown}`}
          >
            <code className="font-mono text-xs">{shown}</code>
          </Link>
          {row.original.tokenMasked ? null : (
            <CopyButton value={row.original.token} label="Copy token" />
          )}
        </span>
      );
    },
  },
  {
    accessorKey: "userId",
    header: "User",
    cell: ({ row }) =>
      row.original.userId ? (
        <Link
          href={`/devices/users/${encodeURIComponent(row.original.userId)}`}
          className="text-primary whitespace-nowrap hover:underline"
        >
          {row.original.userId}
        </Link>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
  },
  {
    accessorKey: "app",
    header: "App",
    cell: ({ row }) => <span className="font-mono text-xs">{row.original.app}</span>,
  },
  {
    accessorKey: "environment",
    header: "Env.",
    cell: ({ row }) => <Badge variant="outline">{row.original.environment}</Badge>,
  },
  {
    accessorKey: "model",
    header: "Model",
    cell: ({ row }) => (
      <span className="text-muted-foreground text-xs">{row.original.model ?? "—"}</span>
    ),
  },
  {
    accessorKey: "status",
    header: "Status",
    cell: ({ row }) => <DeviceStatusBadge status={row.original.status} />,
  },
  {
    accessorKey: "tags",
    header: "Tags",
    enableSorting: false,
    cell: ({ row }) => (
      <div className="flex max-w-48 flex-wrap gap-1">
        {row.original.tags.length ? (
          row.original.tags.map((t) => (
            <Badge key={t} variant="secondary">
              {t}
            </Badge>
          ))
        ) : (
          <span className="text-muted-foreground">—</span>
        )}
      </div>
    ),
  },
  {
    accessorKey: "lastRegisteredAt",
    header: "Last refreshed",
    cell: ({ row }) => <RelativeTime value={row.original.lastRegisteredAt} />,
  },
];

export function DevicesTable({ rows }: { rows: DeviceRow[] }) {
  return (
    <DataTable
      columns={columns}
      data={rows}
      caption="Devices matching the search"
      getRowId={(row) => String(row.id)}
      empty={
        <EmptyState icon={SearchX} title="No devices match">
          Check the user ID or token, or clear some filters. Tokens are matched from their first
          characters.
        </EmptyState>
      }
    />
  );
}
