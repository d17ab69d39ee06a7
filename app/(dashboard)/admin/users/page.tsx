import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { isRole } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { UsersTable, type StaffUserRow } from "./users-table";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  await requirePagePermission("users.manage");
  // Select only safe columns: the password hash never leaves the database layer.
  const users = await getDb().user.findMany({
    select: { id: true, email: true, name: true, role: true, disabled: true, lastSignInAt: true },
    orderBy: [{ disabled: "asc" }, { email: "asc" }],
  });
  const rows: StaffUserRow[] = users
    .filter((user) => isRole(user.role))
    .map((user) => ({ ...user, lastSignInAt: user.lastSignInAt?.toISOString() ?? null }));

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
