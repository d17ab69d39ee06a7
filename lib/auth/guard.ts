import type { z } from "zod";
import { isAppError, type AppErrorCode, type FieldErrors } from "@/lib/errors";
import { can, scopeAllows, type ApiScope, type Permission, type Role } from "./permissions";

/**
 * The one permission wrapper (docs/architecture.md, decision 5): authenticate → check permission →
 * parse input with zod → run → typed result. Server actions use it through `authedAction`
 * (lib/auth/action.ts), route handlers through `apiRoute` (lib/api/route.ts); both end here, so the
 * rule is in one place.
 */
export type StaffPrincipal = { kind: "user"; id: string; email: string; name: string; role: Role };
export type ApiKeyPrincipal = {
  kind: "api-key";
  id: string;
  name: string;
  scopes: readonly string[];
  appId: string | null;
};
export type Principal = StaffPrincipal | ApiKeyPrincipal;

/** What a caller needs: staff need `permission`; API keys need `scope` (an action with no scope is staff-only). */
export type Access = { permission: Permission; scope?: ApiScope };

export type GuardResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: AppErrorCode; error: string; fieldErrors?: FieldErrors };

export function isAllowed(principal: Principal, access: Access): boolean {
  if (principal.kind === "user") return can(principal.role, access.permission);

  return access.scope !== undefined && scopeAllows(principal.scopes, access.scope);
}

export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_";
    (fields[key] ??= []).push(issue.message);
  }

  return fields;
}

export function describeZodError(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return "Invalid input";
  const where = first.path.length ? `${first.path.join(".")}: ` : "";
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : "";

  return `${where}${first.message}${more}`;
}

export async function runGuarded<S extends z.ZodType, T>(
  principal: Principal | null,
  access: Access,
  schema: S,
  input: unknown,
  handler: (ctx: { principal: Principal; input: z.output<S> }) => Promise<T>,
): Promise<GuardResult<T>> {
  if (!principal) return { ok: false, code: "UNAUTHENTICATED", error: "Sign in to continue." };
  if (!isAllowed(principal, access)) {
    const who =
      principal.kind === "user" ? `The ${principal.role.toLowerCase()} role` : "This API key";

    return {
      ok: false,
      code: "FORBIDDEN",
      error: `${who} is not allowed to do this (needs ${principal.kind === "user" ? access.permission : (access.scope ?? "staff access")}).`,
    };
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      code: "VALIDATION",
      error: describeZodError(parsed.error),
      fieldErrors: zodFieldErrors(parsed.error),
    };
  }
  try {
    return { ok: true, data: await handler({ principal, input: parsed.data }) };
  } catch (error) {
    if (isAppError(error))
      return { ok: false, code: error.code, error: error.message, fieldErrors: error.fieldErrors };
    throw error;
  }
}
