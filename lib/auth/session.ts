import "server-only";
import { cache } from "react";
import { forbidden, redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { can, isRole, type Permission, type Role } from "./permissions";
import { auth } from "./next-auth";

export type Actor = { id: string; email: string; name: string; role: Role };

/**
 * The signed-in staff member, re-read from the database on every request so that disabling a user
 * or changing their role (which bumps sessionVersion) takes effect at once.
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await getDb().user.findUnique({ where: { id } });
  const version = (session as { sessionVersion?: number }).sessionVersion ?? 0;
  if (!user || user.disabled || user.sessionVersion !== version || !isRole(user.role)) return null;

  return { id: user.id, email: user.email, name: user.name, role: user.role };
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
