import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { isRole } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { findUsers } from "@/lib/users/create-user";
import { UsersTable, type StaffUserRow } from "./users-table";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await requirePagePermission("users.manage");
  // findUsers returns safe columns only: the password hash never leaves lib/users.
  const users = await findUsers({ kind: "user", ...actor });
  const rows: StaffUserRow[] = users
    .filter((user) => isRole(user.role))
    .map(({ createdAt: _, ...user }) => ({
      ...user,
      lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    }));

  return (
    <>
      <PageHeader
        title="Users"
        description={`${rows.length} staff ${rows.length === 1 ? "account" : "accounts"}. Roles decide what each person can see and do.`}
      />
      <UsersTable rows={rows} />
    </>
  );
}
