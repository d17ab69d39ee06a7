"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Key } from "lucide-react";
import { DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { RevokeApiKeyButton } from "./revoke-api-key-button";

export type ApiKeyRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  app: string | null;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

const columns: ColumnDef<ApiKeyRow>[] = [
  {
    accessorKey: "name",
    header: "Name",
    cell: ({ row }) => <span className="font-medium">{row.original.name}</span>,
  },
  {
    accessorKey: "prefix",
    header: "Key",
    cell: ({ row }) => <code className="font-mono text-xs">{row.original.prefix}_…</code>,
  },
  {
    accessorKey: "scopes",
    header: "Scopes",
    enableSorting: false,
    cell: ({ row }) => (
      <div className="flex max-w-56 flex-wrap gap-1">
        {row.original.scopes.map((s) => (
          <Badge key={s} variant={s === "admin" ? "warning" : "secondary"}>
            {s}
          </Badge>
        ))}
      </div>
    ),
  },
  {
    accessorKey: "app",
    header: "App",
    cell: ({ row }) =>
      row.original.app ? (
        <span className="font-mono text-xs">{row.original.app}</span>
      ) : (
        <span className="text-muted-foreground">All apps</span>
      ),
  },
  {
    accessorKey: "createdAt",
    header: "Created",
    cell: ({ row }) => (
      <div className="flex flex-col">
        <RelativeTime value={row.original.createdAt} />
        <span className="text-muted-foreground text-xs">{row.original.createdBy ?? "CLI"}</span>
      </div>
    ),
  },
  {
    accessorKey: "lastUsedAt",
    header: "Last used",
    sortUndefined: "last",
    cell: ({ row }) =>
      row.original.lastUsedAt ? (
        <RelativeTime value={row.original.lastUsedAt} />
      ) : (
        <span className="text-muted-foreground">Never</span>
      ),
  },
  {
    accessorKey: "revokedAt",
    header: "Status",
    cell: ({ row }) =>
      row.original.revokedAt ? (
        <Badge variant="secondary">Revoked</Badge>
      ) : (
        <Badge variant="success">Active</Badge>
      ),
  },
  {
    id: "actions",
    header: () => <span className="sr-only">Actions</span>,
    enableSorting: false,
    cell: ({ row }) =>
      row.original.revokedAt ? null : (
        <RevokeApiKeyButton
          id={row.original.id}
          name={row.original.name}
          prefix={row.original.prefix}
        />
      ),
  },
];

export function ApiKeysTable({ rows }: { rows: ApiKeyRow[] }) {
  return (
    <DataTable
      columns={columns}
      data={rows}
      caption="API keys"
      getRowId={(row) => row.id}
      empty={
        <EmptyState icon={Key} title="No API keys yet">
          Create a key for each backend that registers devices or sends notifications. Give it only
          the scopes it needs, and restrict it to one app when you can.
        </EmptyState>
      }
    />
  );
}
