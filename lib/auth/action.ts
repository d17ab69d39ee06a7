import "server-only";
import type { z } from "zod";
import { getActor } from "./session";
import { runGuarded, type Access, type GuardResult, type StaffPrincipal } from "./guard";

export type ActionResult<T> = GuardResult<T>;

/**
 * Wraps a server action: the signed-in staff member must hold `access.permission`; the input is
 * parsed with `schema`; expected failures (AppError) come back as `{ ok: false }`, never thrown.
 */
export function authedAction<S extends z.ZodType, T>(
  access: Access,
  schema: S,
  handler: (ctx: { actor: StaffPrincipal; input: z.output<S> }) => Promise<T>,
): ((input: z.input<S>) => Promise<ActionResult<T>>) & { access: Access } {
  const action = async (input: z.input<S>) => {
    const actor = await getActor();
    const principal: StaffPrincipal | null = actor ? { kind: "user", ...actor } : null;

    return runGuarded(principal, access, schema, input, ({ principal: p, input: parsed }) =>
      handler({ actor: p as StaffPrincipal, input: parsed }),
    );
  };

  // The access travels with the action so tests can check that every action is guarded, and how.
  return Object.assign(action, { access });
}
