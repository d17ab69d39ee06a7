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
 * The principal for a bearer key, or null when it is malformed, unknown or revoked. Raw SQL: every
 * API request pays it, and one Prisma query costs more than the whole registration it guards.
 */
export async function authenticateApiKey(
  sql: SqlRunner,
  key: string,
  now = new Date(),
): Promise<ApiKeyPrincipal | null> {
  if (!KEY_PATTERN.test(key)) return null;
  const [row] = await sql.query<{
    id: string;
    name: string;
    scopes: string;
    appId: string | null;
    lastUsedAt: unknown;
    revokedAt: unknown;
  }>(
    `SELECT "id", "name", "scopes", "appId", "lastUsedAt", "revokedAt" FROM "ApiKey" WHERE "hash" = $1`,
    [hashApiKey(key)],
  );
  if (!row || row.revokedAt) return null;
  const lastUsed = toDate(row.lastUsedAt);
  if (!lastUsed || now.getTime() - lastUsed.getTime() > LAST_USED_RESOLUTION_MS) {
    await sql
      .execute(`UPDATE "ApiKey" SET "lastUsedAt" = $1 WHERE "id" = $2`, [now, row.id])
      .catch(() => {});
  }

  return {
    kind: "api-key",
    id: row.id,
    name: row.name,
    scopes: parseScopes(row.scopes),
    appId: row.appId,
  };
}
