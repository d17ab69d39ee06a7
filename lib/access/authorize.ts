import { isAllowed, type Access, type Principal } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";

/**
 * Who is acting, as every lib/<domain> function receives it (docs/data-access.md). Staff members
 * and API keys are the guard's principals (lib/auth/guard.ts); SYSTEM is the machine's operator —
 * the CLI, first start, workers — which already holds the database, so it passes every check. It
 * exists so that those callers use the same functions as the dashboard and are audited as SYSTEM.
 */
export type SystemActor = { kind: "system"; label: string };
export type Actor = Principal | SystemActor;

export function systemActor(label: string): SystemActor {
  return { kind: "system", label };
}

/** The guard's rule (isAllowed: staff by permission, API keys by scope), plus SYSTEM. */
export function isAuthorized(actor: Actor, access: Access): boolean {
  return actor.kind === "system" || isAllowed(actor, access);
}

/**
 * The first line of every data function: throws FORBIDDEN unless the actor holds `access`. An
 * access without a scope is staff-only: no API key passes it.
 */
export function authorize(actor: Actor, access: Access): void {
  if (isAuthorized(actor, access)) return;
  const needs = actor.kind === "user" ? access.permission : (access.scope ?? "staff access");

  throw new AppError("FORBIDDEN", `Not allowed: needs ${needs}.`);
}
