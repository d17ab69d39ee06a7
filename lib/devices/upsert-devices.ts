import { sqlDate, type SqlRunner } from "@/lib/db/sql";
import type { DbEnvironment } from "@/lib/validations/device";
import type { DeviceProfile } from "./device-dto";
import { chunk, placeholders, valuesList } from "./sql-values";

/** One registration, validated and resolved to its app: what the SQL writes. */
export type DeviceRow = DeviceProfile & {
  appId: string;
  environment: DbEnvironment;
  token: string;
  /** JSON text; null keeps the stored attributes. */
  attributes: string | null;
  /** null keeps the stored tags; an array replaces them. */
  tags: string[] | null;
};

export type UpsertKind = "created" | "refreshed" | "reactivated";
export type UpsertResult = { deviceId: number; kind: UpsertKind };

const COLUMNS = [
  "appId",
  "environment",
  "token",
  "userId",
  "locale",
  "timeZone",
  "appVersion",
  "osVersion",
  "model",
  "attributes",
  "status",
  "firstSeenAt",
  "lastRegisteredAt",
  "updatedAt",
] as const;
const COLUMN_LIST = COLUMNS.map((c) => `"${c}"`).join(", ");

// A registration states the device as the app sees it now: scalar fields take the new values
// (omitted → cleared, e.g. userId after a sign-out); attributes and tags are kept when omitted.
// A device that was INVALID or REVOKED becomes ACTIVE again and the time is recorded.
const ON_CONFLICT = `ON CONFLICT ("appId", "environment", "token") DO UPDATE SET
  "userId" = excluded."userId", "locale" = excluded."locale", "timeZone" = excluded."timeZone",
  "appVersion" = excluded."appVersion", "osVersion" = excluded."osVersion", "model" = excluded."model",
  "attributes" = COALESCE(excluded."attributes", "Device"."attributes"),
  "reactivatedAt" = CASE WHEN "Device"."status" <> 'ACTIVE' THEN excluded."lastRegisteredAt" ELSE "Device"."reactivatedAt" END,
  "reactivationCount" = "Device"."reactivationCount" + CASE WHEN "Device"."status" <> 'ACTIVE' THEN 1 ELSE 0 END,
  "status" = 'ACTIVE', "invalidReason" = NULL, "invalidatedAt" = NULL,
  "lastRegisteredAt" = excluded."lastRegisteredAt", "updatedAt" = excluded."updatedAt"`;

const key = (appId: string, environment: string, token: string) =>
  `${appId}\u0000${environment}\u0000${token}`;

/**
 * Rows are written in key order: on PostgreSQL concurrent batches then lock rows in one order (no
 * deadlocks); on both, neighbouring inserts into the random-token index land on neighbouring pages
 * (measured on SQLite: 15–45% less time in the insert). Returns the row indexes in that order.
 */
export function keyOrder(
  rows: readonly DeviceRow[],
  keys = rows.map((r) => key(r.appId, r.environment, r.token)),
): number[] {
  const order = rows.map((_, i) => i);

  return order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
}

/**
 * The one set-based write path for registrations (single and batch): in the caller's transaction,
 * per chunk: read the prior status of the rows that exist (locked on PostgreSQL), upsert all rows in
 * one statement, then write events and tags in bulk. `rows` must be unique by (appId, environment,
 * token) and are written in sorted order so that concurrent batches lock rows in the same order.
 */
export async function upsertDevices(
  tx: SqlRunner,
  rows: readonly DeviceRow[],
  now: Date,
  eventDetail: string,
): Promise<UpsertResult[]> {
  const at = sqlDate(tx.provider, now);
  const keys = rows.map((r) => key(r.appId, r.environment, r.token));
  // Cheap when the caller already sorted the rows (keyOrder) before taking the write lock.
  const order = keyOrder(rows, keys);
  const results: UpsertResult[] = new Array(rows.length);
  for (const part of chunk(order)) {
    const prior = await readPriorStatus(
      tx,
      part.map((i) => rows[i]),
    );
    const params: unknown[] = [];
    for (const i of part) {
      const r = rows[i];
      params.push(
        r.appId,
        r.environment,
        r.token,
        r.userId,
        r.locale,
        r.timeZone,
        r.appVersion,
        r.osVersion,
        r.model,
        r.attributes,
        "ACTIVE",
        at,
        at,
        at,
      );
    }
    const inserted = tx.provider === "postgresql" ? `, (xmax = 0) AS "inserted"` : "";
    const returned = await tx.query<{
      id: number;
      appId: string;
      environment: string;
      token: string;
      inserted?: boolean;
    }>(
      `INSERT INTO "Device" (${COLUMN_LIST}) VALUES ${valuesList(part.length, COLUMNS.length)} ${ON_CONFLICT}
       RETURNING "id", "appId", "environment", "token"${inserted}`,
      params,
    );
    const byKey = new Map(returned.map((r) => [key(r.appId, r.environment, r.token), r]));
    for (const i of part) {
      const k = keys[i];
      const row = byKey.get(k)!;
      const before = prior.get(k);
      // On PostgreSQL a row inserted by a concurrent transaction after our read is reported by xmax.
      const isNew = row.inserted ?? before === undefined;
      results[i] = {
        deviceId: Number(row.id),
        kind: isNew ? "created" : before && before !== "ACTIVE" ? "reactivated" : "refreshed",
      };
    }
    await writeEvents(
      tx,
      part.map((i) => results[i]),
      at,
      eventDetail,
    );
    await replaceTags(
      tx,
      part
        .filter((i) => rows[i].tags !== null)
        .map((i) => ({
          deviceId: results[i].deviceId,
          tags: rows[i].tags!,
          isNew: results[i].kind === "created",
        })),
    );
  }

  return results;
}

async function readPriorStatus(
  tx: SqlRunner,
  rows: readonly DeviceRow[],
): Promise<Map<string, string>> {
  const prior = new Map<string, string>();
  // Grouped by app and environment so each lookup is an IN list on the unique index.
  const groups = new Map<string, { appId: string; environment: string; tokens: string[] }>();
  for (const r of rows) {
    const g = groups.get(`${r.appId}\u0000${r.environment}`) ?? {
      appId: r.appId,
      environment: r.environment,
      tokens: [],
    };
    g.tokens.push(r.token);
    groups.set(`${r.appId}\u0000${r.environment}`, g);
  }
  const lock = tx.provider === "postgresql" ? " FOR UPDATE" : "";
  for (const g of groups.values()) {
    const found = await tx.query<{ token: string; status: string }>(
      `SELECT "token", "status" FROM "Device" WHERE "appId" = $1 AND "environment" = $2 AND "token" IN (${placeholders(g.tokens.length, 3)})${lock}`,
      [g.appId, g.environment, ...g.tokens],
    );
    for (const f of found) prior.set(key(g.appId, g.environment, f.token), f.status);
  }

  return prior;
}

async function writeEvents(
  tx: SqlRunner,
  results: readonly UpsertResult[],
  at: string,
  detail: string,
): Promise<void> {
  const changed = results.filter((r) => r.kind !== "refreshed");
  if (!changed.length) return;
  const params = changed.flatMap((r) => [
    r.deviceId,
    r.kind === "created" ? "REGISTERED" : "REACTIVATED",
    at,
    detail,
  ]);
  await tx.execute(
    `INSERT INTO "DeviceEvent" ("deviceId", "kind", "at", "detail") VALUES ${valuesList(changed.length, 4)}`,
    params,
  );
}

async function replaceTags(
  tx: SqlRunner,
  devices: readonly { deviceId: number; tags: string[]; isNew: boolean }[],
): Promise<void> {
  if (!devices.length) return;
  // A device created by this statement has no tags yet: only known devices need the old ones removed.
  const known = devices.filter((d) => !d.isNew).map((d) => d.deviceId);
  if (known.length)
    await tx.execute(
      `DELETE FROM "DeviceTag" WHERE "deviceId" IN (${placeholders(known.length)})`,
      known,
    );
  const pairs = devices.flatMap((d) => d.tags.map((tag) => [d.deviceId, tag] as const));
  for (const part of chunk(pairs, 1000)) {
    await tx.execute(
      `INSERT INTO "DeviceTag" ("deviceId", "tag") VALUES ${valuesList(part.length, 2)} ON CONFLICT DO NOTHING`,
      part.flat(),
    );
  }
}
