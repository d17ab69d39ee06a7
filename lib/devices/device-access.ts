import type { Principal } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { scopeAllows } from "@/lib/auth/permissions";
import type { SqlRunner } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";

/**
 * Who may see and touch which devices. Rows differ by caller in two ways: API keys restricted to an
 * app (ApiKey.appId) only reach that app's devices, and tokens are masked for staff without
 * `devices.reveal-token`. Every data function in lib/devices goes through these helpers.
 */
export type AppRef = { id: string; bundleId: string; archivedAt: unknown };

export function maySeeFullTokens(principal: Principal): boolean {
  if (principal.kind === "user") return can(principal.role, "devices.reveal-token");

  return (
    scopeAllows(principal.scopes, "devices:read") || scopeAllows(principal.scopes, "devices:write")
  );
}

/** The app id the caller is restricted to, or null when it may reach every app. */
export function restrictedAppId(principal: Principal): string | null {
  return principal.kind === "api-key" ? principal.appId : null;
}

/** Staff need `permission`; API keys need `scope` (the route already checked it; this guards direct callers). */
export function assertAllowed(
  principal: Principal,
  permission: Parameters<typeof can>[1],
  scope: Parameters<typeof scopeAllows>[1],
): void {
  const ok =
    principal.kind === "user"
      ? can(principal.role, permission)
      : scopeAllows(principal.scopes, scope);
  if (!ok)
    throw new AppError(
      "FORBIDDEN",
      `Not allowed: needs ${principal.kind === "user" ? permission : scope}.`,
    );
}

/** Resolves bundle ids to apps the caller may use, in one query. Unknown or out-of-reach ids are absent. */
export async function resolveApps(
  sql: SqlRunner,
  principal: Principal,
  bundleIds: readonly string[],
): Promise<Map<string, AppRef>> {
  const unique = [...new Set(bundleIds)];
  const found = new Map<string, AppRef>();
  if (!unique.length) return found;
  const placeholders = unique.map((_, i) => `$${i + 1}`).join(", ");
  const rows = await sql.query<AppRef>(
    `SELECT "id", "bundleId", "archivedAt" FROM "App" WHERE "bundleId" IN (${placeholders})`,
    unique,
  );
  const only = restrictedAppId(principal);
  for (const row of rows) if (!only || row.id === only) found.set(row.bundleId, row);

  return found;
}

export function appNotFoundMessage(bundleId: string, principal: Principal): string {
  return restrictedAppId(principal)
    ? `app "${bundleId}" is not an app this API key may use`
    : `app "${bundleId}" is not registered in Pushdeck; an admin adds it under Admin → Apps`;
}
