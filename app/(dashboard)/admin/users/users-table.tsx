"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Users } from "lucide-react";
import { DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { RoleBadge } from "@/components/role-badge";
import { Badge } from "@/components/ui/badge";
import type { Role } from "@/lib/auth/permissions";
import { formatDateTime } from "@/lib/utils";

/** What the browser gets about a staff user: no password hash, no session version. */
export type StaffUserRow = {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  lastSignInAt: string | null;
};

const columns: ColumnDef<StaffUserRow>[] = [
  {
    accessorKey: "name",
    header: "Name",
    cell: ({ row }) => <span className="font-medium">{row.original.name}</span>,
  },
  {
    accessorKey: "email",
    header: "Email",
    cell: ({ row }) => <span className="font-mono text-xs">{row.original.email}</span>,
  },
  {
    accessorKey: "role",
    header: "Role",
    cell: ({ row }) => <RoleBadge role={row.original.role} />,
  },
  {
    accessorKey: "disabled",
    header: "Status",
    cell: ({ row }) =>
      row.original.disabled ? (
        <Badge variant="destructive">Disabled</Badge>
      ) : (
        <Badge variant="success">Active</Badge>
      ),
  },
  {
    accessorKey: "lastSignInAt",
    header: "Last sign-in",
    sortUndefined: "last",
    cell: ({ row }) => (
      <span className="text-muted-foreground tabular-nums">
        {row.original.lastSignInAt ? formatDateTime(row.original.lastSignInAt) : "Never"}
      </span>
    ),
  },
];

export function UsersTable({ rows }: { rows: StaffUserRow[] }) {
  return (
    <DataTable
      columns={columns}
      data={rows}
      caption="Staff users"
      getRowId={(row) => row.id}
      empty={
        <EmptyState icon={Users} title="No staff users">
          Staff accounts you create appear here.
        </EmptyState>
      }
    />
  );
}
