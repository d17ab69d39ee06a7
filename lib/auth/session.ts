import "server-only";
import { cache } from "react";
import { forbidden, redirect } from "next/navigation";
import { can, isRole, type Permission, type Role } from "./permissions";
import { auth } from "./next-auth";

export type Actor = { id: string; email: string; name: string; role: Role };

/**
 * The signed-in staff member. Reading the session checks its StaffSession row and the user in the
 * database (next-auth's jwt callback, lib/auth/sessions.ts), so signing out, disabling a user or
 * changing their role (which bumps sessionVersion) takes effect at once. A cookie that cannot be
 * read is no session: callers see null, never an error.
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const user = (await auth())?.user;
  if (!user?.id || !isRole(user.role)) return null;

  return { id: user.id, email: user.email ?? "", name: user.name ?? "", role: user.role };
});

/** For pages: anonymous → sign-in page; lacking the permission → the 403 page. */
export async function requirePagePermission(permission: Permission): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect("/login");
  if (!can(actor.role, permission)) forbidden();

  return actor;
}

export async function requirePageActor(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect("/login");

  return actor;
}
