import { authorize, type Actor } from "@/lib/access/authorize";
import { can, scopeAllows, type ApiScope, type Permission } from "@/lib/auth/permissions";
import type { SqlRunner } from "@/lib/db/sql";
import { maskToken } from "./mask-token";
import { placeholders } from "./sql-values";

/**
 * Who may see and touch which devices. Rows differ by caller in two ways: API keys restricted to an
 * app (ApiKey.appId) only reach that app's devices, and tokens are masked for staff without
 * `devices.reveal-token`. Every function that shows a token — devices, deliveries — goes through
 * visibleToken, so there is one reveal rule.
 */
export type AppRef = { id: string; bundleId: string; archivedAt: unknown };

/** Staff with devices.reveal-token; API keys that may read or write devices; SYSTEM. */
export function maySeeFullTokens(actor: Actor): boolean {
  if (actor.kind === "system") return true;
  if (actor.kind === "user") return can(actor.role, "devices.reveal-token");

  return scopeAllows(actor.scopes, "devices:read") || scopeAllows(actor.scopes, "devices:write");
}

/** A device token as this actor may see it: whole, or masked (maskToken) with `tokenMasked`. */
export function visibleToken(actor: Actor, token: string): { token: string; tokenMasked: boolean } {
  return maySeeFullTokens(actor)
    ? { token, tokenMasked: false }
    : { token: maskToken(token), tokenMasked: true };
}

/** The app id the caller is restricted to, or null when it may reach every app. */
export function restrictedAppId(actor: Actor): string | null {
  return actor.kind === "api-key" ? actor.appId : null;
}

/** What the registry's read functions need: devices.read for staff, devices:read for API keys. */
export const DEVICES_READ = { permission: "devices.read", scope: "devices:read" } as const;

/**
 * authorize (lib/access) in the argument order the registry's write path still uses
 * (register-devices, unregister-device, import-devices-csv); new code calls authorize directly.
 */
export function assertAllowed(actor: Actor, permission: Permission, scope: ApiScope): void {
  authorize(actor, { permission, scope });
}

/**
 * How long a process trusts an app it has read. Registrations name their app by bundle id in every
 * request; reading it each time was a database round trip per request. An app archived or changed
 * here is forgotten at once (forgetApps); another process notices within this time
 * (docs/decisions/0002-registration-throughput.md). Unknown bundle ids are not remembered, so a new
 * app is found at once everywhere.
 */
export const APP_CACHE_MS = 1_000;
type CachedApp = { app: AppRef; until: number; generation: number };
const cachedApps = new WeakMap<SqlRunner, Map<string, CachedApp>>();
let appGeneration = 0;

/** Call after committing a change to an app (archive, bundle id): this process reads apps again. */
export function forgetApps(): void {
  appGeneration++;
}

/** Resolves bundle ids to apps the caller may use, in one query. Unknown or out-of-reach ids are absent. */
export async function resolveApps(
  sql: SqlRunner,
  actor: Actor,
  bundleIds: readonly string[],
): Promise<Map<string, AppRef>> {
  const found = new Map<string, AppRef>();
  if (!bundleIds.length) return found;
  let cache = cachedApps.get(sql);
  if (!cache) cachedApps.set(sql, (cache = new Map()));
  const now = Date.now();
  const missing: string[] = [];
  for (const bundleId of new Set(bundleIds)) {
    const hit = cache.get(bundleId);
    if (hit && hit.until > now && hit.generation === appGeneration) found.set(bundleId, hit.app);
    else missing.push(bundleId);
  }
  if (missing.length) {
    const generation = appGeneration;
    const rows = await sql.query<AppRef>(
      `SELECT "id", "bundleId", "archivedAt" FROM "App" WHERE "bundleId" IN (${placeholders(missing.length)})`,
      missing,
    );
    if (cache.size > 10_000) cache.clear();
    for (const app of rows) {
      cache.set(app.bundleId, { app, until: now + APP_CACHE_MS, generation });
      found.set(app.bundleId, app);
    }
  }
  const only = restrictedAppId(actor);
  if (only) for (const [bundleId, app] of found) if (app.id !== only) found.delete(bundleId);

  return found;
}

export function appNotFoundMessage(bundleId: string, actor: Actor): string {
  return restrictedAppId(actor)
    ? `app "${bundleId}" is not an app this API key may use`
    : `app "${bundleId}" is not registered in Pushdeck; an admin adds it under Admin → Apps`;
}
