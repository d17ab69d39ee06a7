import { createHash, randomBytes } from "node:crypto";
import type { ApiKeyPrincipal } from "@/lib/auth/guard";
import { toDate, type SqlRunner } from "@/lib/db/sql";

/**
 * API keys look like `pd_<8-char id>_<32-char secret>`. Only the SHA-256 of the whole key is stored
 * (a key is high-entropy, so a fast hash is enough and keeps authentication O(1) per request); the
 * `pd_<id>` prefix is kept in clear so admins can tell keys apart.
 */
const KEY_PATTERN = /^pd_([A-Za-z0-9]{8})_([A-Za-z0-9]{32})$/;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomString(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = "";
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    if (bytes[i] < 248) out += ALPHABET[bytes[i] % 62];
  }

  return out.length === length ? out : randomString(length);
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = `pd_${randomString(8)}`;
  const key = `${prefix}_${randomString(32)}`;

  return { key, prefix, hash: hashApiKey(key) };
}

export function parseScopes(stored: string): string[] {
  return stored
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

// Writing lastUsedAt on every request would turn each read into a write; once a minute is enough.
const LAST_USED_RESOLUTION_MS = 60_000;
/**
 * How long a process trusts a key it has read: the registration API authenticates thousands of
 * requests a second, and a read per request was a third of their database round trips on
 * PostgreSQL. A key revoked here is forgotten at once (forgetApiKeys); another process stops
 * accepting it within this time (docs/decisions/0002-registration-throughput.md).
 */
export const API_KEY_CACHE_MS = 1_000;
const CACHE_MAX_KEYS = 1_000;

type KeyRow = {
  id: string;
  name: string;
  scopes: string;
  appId: string | null;
  lastUsedAt: unknown;
  revokedAt: unknown;
};
type CachedKey = {
  principal: ApiKeyPrincipal;
  lastUsed: number;
  until: number;
  generation: number;
};
/** Per database (a process may hold several: tests, the CLI), by key hash. */
const cached = new WeakMap<SqlRunner, Map<string, CachedKey>>();
/** Bumped by every revocation in this process: entries read before it are read again. */
let generation = 0;

/** Revocation takes effect at once in this process (revocations are rare: the cache starts over). */
export function forgetApiKeys(): void {
  generation++;
}

/**
 * The principal for a bearer key, or null when it is malformed, unknown or revoked. Raw SQL: every
 * API request pays it, and one Prisma query costs more than the whole registration it guards.
 */
export async function authenticateApiKey(
  sql: SqlRunner,
  key: string,
  now = new Date(),
): Promise<ApiKeyPrincipal | null> {
  if (!KEY_PATTERN.test(key)) return null;
  const hash = hashApiKey(key);
  let keys = cached.get(sql);
  if (!keys) cached.set(sql, (keys = new Map()));
  const hit = keys.get(hash);
  const at = now.getTime();
  if (hit && hit.until > at && hit.generation === generation) {
    if (at - hit.lastUsed > LAST_USED_RESOLUTION_MS) await touch(sql, hit.principal.id, now, hit);

    return hit.principal;
  }
  const [row] = await sql.query<KeyRow>(
    `SELECT "id", "name", "scopes", "appId", "lastUsedAt", "revokedAt" FROM "ApiKey" WHERE "hash" = $1`,
    [hash],
  );
  if (!row || row.revokedAt) {
    keys.delete(hash);

    return null;
  }
  const principal: ApiKeyPrincipal = {
    kind: "api-key",
    id: row.id,
    name: row.name,
    scopes: parseScopes(row.scopes),
    appId: row.appId,
  };
  const entry = {
    principal,
    lastUsed: toDate(row.lastUsedAt)?.getTime() ?? 0,
    until: at + API_KEY_CACHE_MS,
    generation,
  };
  if (at - entry.lastUsed > LAST_USED_RESOLUTION_MS) await touch(sql, row.id, now, entry);
  if (keys.size >= CACHE_MAX_KEYS) keys.clear();
  keys.set(hash, entry);

  return principal;
}

async function touch(sql: SqlRunner, id: string, now: Date, entry: { lastUsed: number }) {
  entry.lastUsed = now.getTime();
  await sql
    .execute(`UPDATE "ApiKey" SET "lastUsedAt" = $1 WHERE "id" = $2`, [now, id])
    .catch(() => {});
}
