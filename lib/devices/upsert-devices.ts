import { recordAudit, type AuditEntry } from "@/lib/audit/record";
import { groupWrite, type GroupWriter } from "@/lib/db/group-commit";
import { prepared, sqlDate, type SqlRunner } from "@/lib/db/sql";
import type { DbEnvironment } from "@/lib/validations/device";
import type { DeviceProfile } from "./device-dto";
import {
  DEVICE_TRANSITIONS,
  fromStatesSql,
  insertDeviceEvents,
  registrationOf,
  type DeviceEventRow,
  type DeviceStatus,
} from "./device-state";
import { chunk, placeholders, ROWS_PER_STATEMENT, valuesList } from "./sql-values";

/** One registration, validated and resolved to its app: what the SQL writes. */
export type DeviceRow = DeviceProfile & {
  appId: string;
  environment: DbEnvironment;
  token: string;
  /** tokenKey(token): computed with the row, outside the write lock. */
  tokenKey: number;
  /** JSON text; null keeps the stored attributes. */
  attributes: string | null;
  /** null keeps the stored tags; an array replaces them. */
  tags: string[] | null;
};

export type UpsertKind = "created" | "refreshed" | "reactivated";
export type UpsertResult = { deviceId: number; kind: UpsertKind };

/** What the API reports for each outcome of a registration (device-state.ts). */
const UPSERT_KIND = {
  register: "created",
  reactivate: "reactivated",
  refresh: "refreshed",
} as const satisfies Record<ReturnType<typeof registrationOf>, UpsertKind>;

/** One request's registrations, as writeRegistrations takes them. */
export type Registration = {
  /** Unique by (appId, environment, token), in keyOrder (sorted before the write lock is taken). */
  rows: readonly DeviceRow[];
  /** The registration time (Device.lastRegisteredAt, events). */
  now: Date;
  /** The detail of the DeviceEvents it writes (who registered). */
  detail: string;
  /** Its audit entry, from its results; null when there is nothing to audit. */
  audit?: (results: readonly UpsertResult[]) => AuditEntry | null;
};

const COLUMNS = [
  "appId",
  "environment",
  "token",
  "tokenKey",
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
  "registeredDay",
] as const;
const COLUMN_LIST = COLUMNS.map((c) => `"${c}"`).join(", ");

// A registration states the device as the app sees it now: scalar fields take the new values
// (omitted → cleared, e.g. userId after a sign-out); attributes and tags are kept when omitted.
// A device the state table lets `reactivate` becomes ACTIVE again and the time is recorded; any
// other known device is refreshed (its state stays).
const REACTIVATE = (table: string, at: string, day: string) => {
  const reactivated = fromStatesSql("reactivate", `${table}"status"`);

  return `
  "reactivatedAt" = CASE WHEN ${reactivated} THEN ${at} ELSE ${table}"reactivatedAt" END,
  "reactivationCount" = ${table}"reactivationCount" + CASE WHEN ${reactivated} THEN 1 ELSE 0 END,
  "invalidReason" = CASE WHEN ${reactivated} THEN NULL ELSE ${table}"invalidReason" END,
  "invalidatedAt" = CASE WHEN ${reactivated} THEN NULL ELSE ${table}"invalidatedAt" END,
  "status" = CASE WHEN ${reactivated} THEN '${DEVICE_TRANSITIONS.reactivate.to}' ELSE ${table}"status" END,
  "lastRegisteredAt" = ${at}, "updatedAt" = ${at}, "registeredDay" = ${day}`;
};

/**
 * Device.registeredDay: the UTC day of a registration, in days since 1970-01-01. Audiences compare
 * it for "registered within N days" (docs/audiences.md); it moves at most once a day, so the
 * PostgreSQL index on it leaves most refreshes HOT updates.
 */
export const registeredDayOf = (date: Date) => Math.floor(date.getTime() / 86_400_000);

/** A device's identity, (app, environment, token), as one Map key. */
export const deviceKey = (appId: string, environment: string, token: string) =>
  `${token}\u0000${appId}\u0000${environment}`;

const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

const compareRows = (x: DeviceRow, y: DeviceRow) =>
  x.tokenKey - y.tokenKey ||
  compare(x.token, y.token) ||
  compare(x.appId, y.appId) ||
  compare(x.environment, y.environment);

/**
 * Rows are written in token order: neighbouring inserts into the token index land on neighbouring
 * pages (measured on SQLite: 15–45% less time in the insert), and on PostgreSQL concurrent batches
 * lock rows in one order (no deadlocks). Returns the row indexes in that order.
 */
export function keyOrder(rows: readonly DeviceRow[]): number[] {
  return rows.map((_, i) => i).sort((a, b) => compareRows(rows[a], rows[b]));
}

/** One row to write: its request's time (encoded for the database) and day, and event detail. */
type Item = { row: DeviceRow; at: string; day: number; detail: string };

/**
 * The one write path for registrations (single and batch) in the caller's transaction, one
 * request's rows. `rows` must be unique by (appId, environment, token); the caller sorts them
 * (keyOrder) before it takes the write lock. Returns one result per row, in order.
 */
export async function upsertDevices(
  tx: SqlRunner,
  rows: readonly DeviceRow[],
  now: Date,
  eventDetail: string,
): Promise<UpsertResult[]> {
  return (await REGISTRATIONS.write(tx, [{ rows, now, detail: eventDetail }]))[0];
}

/**
 * Registers `registration` in a group commit (lib/db/group-commit.ts): the requests that arrive
 * together are written by the same statements in one transaction — on SQLite and PostgreSQL —
 * with their events, tags and audit entries. Resolves after COMMIT with one result per row.
 */
export function writeRegistrations(
  sql: SqlRunner,
  registration: Registration,
): Promise<UpsertResult[]> {
  return groupWrite(sql, REGISTRATIONS, registration, registration.rows.length);
}

const REGISTRATIONS: GroupWriter<Registration, UpsertResult[]> = {
  // PostgreSQL flushes the WAL to disk at every COMMIT (2–2.5 ms on the machines measured), which
  // bounded single registrations to a few hundred groups a second. Apps repeat their registration
  // at every launch: docs/decisions/0002-registration-throughput.md.
  asyncCommit: true,
  async write(tx, registrations) {
    const items: Item[][] = registrations.map(({ rows, now, detail }) => {
      const at = sqlDate(tx.provider, now);
      const day = registeredDayOf(now);

      return rows.map((row) => ({ row, at, day, detail }));
    });
    const results = new Map<Item, UpsertResult>();
    // Requests are merged in key order. The same device registered by two requests of the group
    // is written once per request, in request order: a later round sees the earlier one's row.
    for (const round of rounds(items)) {
      const written = await writeItems(tx, round);
      round.forEach((item, i) => results.set(item, written[i]));
    }
    const outputs = items.map((list) => list.map((item) => results.get(item)!));
    const entries = registrations.flatMap((r, k) => r.audit?.(outputs[k]) ?? []);
    if (entries.length) await recordAudit(tx, entries);

    return outputs;
  },
};

/** The requests' items merged in key order, split so that each round holds a device once. */
function rounds(lists: readonly Item[][]): Item[][] {
  if (lists.length === 1) return [lists[0]];
  let merged = lists.filter((l) => l.length);
  // Pairwise merges of lists already in key order; equal keys keep request order.
  while (merged.length > 1) {
    const next: Item[][] = [];
    for (let i = 0; i < merged.length; i += 2)
      next.push(i + 1 < merged.length ? mergeTwo(merged[i], merged[i + 1]) : merged[i]);
    merged = next;
  }
  const out: Item[][] = [];
  let previous: Item | undefined;
  let repeat = 0;
  for (const item of merged[0] ?? []) {
    repeat = previous && compareRows(previous.row, item.row) === 0 ? repeat + 1 : 0;
    (out[repeat] ??= []).push(item);
    previous = item;
  }

  return out;
}

function mergeTwo(a: readonly Item[], b: readonly Item[]): Item[] {
  const out: Item[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length)
    out[k++] = compareRows(a[i].row, b[j].row) <= 0 ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];

  return out;
}

/** Items unique by device, in key order → their results, in order. */
async function writeItems(tx: SqlRunner, items: readonly Item[]): Promise<UpsertResult[]> {
  const results: UpsertResult[] = new Array(items.length);
  if (tx.provider === "postgresql") {
    for (let start = 0; start < items.length; start += PG_ROWS_PER_STATEMENT)
      await writePostgres(
        tx,
        items,
        start,
        Math.min(items.length, start + PG_ROWS_PER_STATEMENT),
        results,
      );

    return results;
  }
  for (let start = 0; start < items.length; start += ROWS_PER_STATEMENT) {
    const end = Math.min(items.length, start + ROWS_PER_STATEMENT);
    await writeSqlite(tx, items, start, end, results);
    await writeEvents(tx, items, results, start, end);
    await replaceTags(tx, items, results, start, end);
  }

  return results;
}

type ChunkWriter = (
  tx: SqlRunner,
  items: readonly Item[],
  start: number,
  end: number,
  results: UpsertResult[],
) => Promise<void>;

// SQLite: known devices by id, from a VALUES list (column1 = id, then the profile fields, then the
// registration time and day).
const KNOWN_WIDTH = 10;
const UPDATE_KNOWN = (rows: number) => `UPDATE "Device" SET
  "userId" = v.column2, "locale" = v.column3, "timeZone" = v.column4, "appVersion" = v.column5,
  "osVersion" = v.column6, "model" = v.column7, "attributes" = COALESCE(v.column8, "attributes"),
  ${REACTIVATE("", "v.column9", "v.column10")}
  FROM (VALUES ${valuesList(rows, KNOWN_WIDTH)}) AS v WHERE "Device"."id" = v.column1`;

/**
 * SQLite (one writer, and this transaction holds the lock): read the chunk's known devices through
 * the tokenKey index, update those by id, insert the others.
 */
const writeSqlite: ChunkWriter = async (tx, items, start, end, results) => {
  const keys: number[] = [];
  for (let i = start; i < end; i++) keys.push(items[i].row.tokenKey);
  const found = await tx.query<{
    id: number;
    appId: string;
    environment: string;
    token: string;
    status: DeviceStatus;
  }>(
    `SELECT "id", "appId", "environment", "token", "status" FROM "Device" WHERE "tokenKey" IN (${placeholders(keys.length)})`,
    keys,
  );
  const known = new Map(found.map((f) => [deviceKey(f.appId, f.environment, f.token), f]));
  const fresh: number[] = [];
  const updates: unknown[] = [];
  for (let i = start; i < end; i++) {
    const { row: r, at, day } = items[i];
    const before = known.size ? known.get(deviceKey(r.appId, r.environment, r.token)) : undefined;
    if (!before) {
      fresh.push(i);
      continue;
    }
    results[i] = { deviceId: Number(before.id), kind: UPSERT_KIND[registrationOf(before.status)] };
    updates.push(
      before.id,
      r.userId,
      r.locale,
      r.timeZone,
      r.appVersion,
      r.osVersion,
      r.model,
      r.attributes,
      at,
      day,
    );
  }
  if (updates.length) await tx.execute(UPDATE_KNOWN(updates.length / KNOWN_WIDTH), updates);
  if (!fresh.length) return;
  const params: unknown[] = new Array(fresh.length * COLUMNS.length);
  let p = 0;
  for (const i of fresh) {
    const { row: r, at, day } = items[i];
    params[p++] = r.appId;
    params[p++] = r.environment;
    params[p++] = r.token;
    params[p++] = r.tokenKey;
    params[p++] = r.userId;
    params[p++] = r.locale;
    params[p++] = r.timeZone;
    params[p++] = r.appVersion;
    params[p++] = r.osVersion;
    params[p++] = r.model;
    params[p++] = r.attributes;
    params[p++] = DEVICE_TRANSITIONS.register.to;
    params[p++] = at;
    params[p++] = at;
    params[p++] = at;
    params[p++] = day;
  }
  const inserted = await tx.execute(
    `INSERT INTO "Device" (${COLUMN_LIST}) VALUES ${valuesList(fresh.length, COLUMNS.length)}`,
    params,
  );
  // One statement inserting in VALUES order under AUTOINCREMENT, in a transaction that holds the
  // only write lock: the new ids are consecutive and end at last_insert_rowid().
  // The ends are checked: a mismatch fails the transaction rather than misnumbering devices.
  const [{ last }] = await tx.query<{ last: number }>(`SELECT last_insert_rowid() AS "last"`);
  const first = Number(last) - fresh.length + 1;
  const ends = await tx.query<{ id: number; token: string }>(
    `SELECT "id", "token" FROM "Device" WHERE "id" IN ($1, $2)`,
    [first, Number(last)],
  );
  const tokenOf = new Map(ends.map((e) => [Number(e.id), e.token]));
  if (
    inserted !== fresh.length ||
    tokenOf.get(first) !== items[fresh[0]].row.token ||
    tokenOf.get(Number(last)) !== items[fresh[fresh.length - 1]].row.token
  )
    throw new Error(`device ids of ${fresh.length} inserted rows could not be established`);
  fresh.forEach((i, n) => (results[i] = { deviceId: first + n, kind: "created" }));
};

async function writeEvents(
  tx: SqlRunner,
  items: readonly Item[],
  results: readonly UpsertResult[],
  start: number,
  end: number,
): Promise<void> {
  const events: DeviceEventRow[] = [];
  for (let i = start; i < end; i++) {
    const { kind, deviceId } = results[i];
    const { at, detail } = items[i];
    if (kind === "created")
      events.push({ deviceId, kind: DEVICE_TRANSITIONS.register.event, at, detail });
    else if (kind === "reactivated")
      events.push({ deviceId, kind: DEVICE_TRANSITIONS.reactivate.event, at, detail });
  }
  await insertDeviceEvents(tx, events);
}

async function replaceTags(
  tx: SqlRunner,
  items: readonly Item[],
  results: readonly UpsertResult[],
  start: number,
  end: number,
): Promise<void> {
  // A device created by this statement has no tags yet: only known devices need the old ones removed.
  const known: number[] = [];
  const pairs: [number, string][] = [];
  for (let i = start; i < end; i++) {
    const tags = items[i].row.tags;
    if (tags === null) continue;
    if (results[i].kind !== "created") known.push(results[i].deviceId);
    for (const tag of tags) pairs.push([results[i].deviceId, tag]);
  }
  if (known.length)
    await tx.execute(
      `DELETE FROM "DeviceTag" WHERE "deviceId" IN (${placeholders(known.length)})`,
      known,
    );
  for (const part of chunk(pairs, 1000)) {
    await tx.execute(
      `INSERT INTO "DeviceTag" ("deviceId", "tag") VALUES ${valuesList(part.length, 2)} ON CONFLICT DO NOTHING`,
      part.flat(),
    );
  }
}

/** PostgreSQL: rows per statement (they travel as one JSON parameter: no parameter limit applies). */
const PG_ROWS_PER_STATEMENT = 5_000;

// One statement per chunk, in order:
// - prior: the devices that exist, each found through the unique index by token and locked (a
//   sub-select with FOR UPDATE is not merged into a join, so it stays a probe per row; appId and
//   environment are compared in a form no index serves, because with the statistics of a young
//   table the planner preferred the (appId, environment, status) index and read a whole app per
//   row), in input order, which is key order (the order every registration
//   locks in, so concurrent groups do not deadlock), and read as of now — a state changed by a
//   transaction that committed meanwhile is waited for and seen. The upsert's source waits for the
//   whole of it (a scalar subquery over it runs once, before the first row), so no row is written
//   before all are locked.
// - upserted: INSERT … ON CONFLICT; the unique index "Device_token_appId_environment_key"
//   arbitrates concurrent writers. A row inserted by a concurrent transaction after the lock is
//   reported by xmax (not inserted, no prior state: a refresh).
// - events (register, reactivate: device-state.ts) and tags (replaced when given).
const PG_UPSERT = prepared(`WITH input AS MATERIALIZED (
  SELECT v->>0 AS "appId", (v->>1)::"Environment" AS "environment", v->>2 AS "token",
    (v->>3)::bigint AS "tokenKey", v->>4 AS "userId", v->>5 AS "locale", v->>6 AS "timeZone",
    v->>7 AS "appVersion", v->>8 AS "osVersion", v->>9 AS "model", v->>10 AS "attributes",
    (v->>11)::timestamp(3) AS "at", v->>12 AS "detail", NULLIF(v->13, 'null') AS "tags",
    (v->>14)::int AS "day", n
  FROM generate_series(1, $2::int) AS n, LATERAL (SELECT $1::jsonb -> (n - 1)::int AS v) AS e
), prior AS (
  SELECT p."id", p."status" FROM input k, LATERAL (
    SELECT d."id", d."status" FROM "Device" d
    WHERE d."token" = k."token" AND d."appId" || '' = k."appId"
      AND d."environment"::text = k."environment"::text
    FOR UPDATE
  ) AS p
), upserted AS (
  INSERT INTO "Device" (${COLUMN_LIST})
  SELECT "appId", "environment", "token", "tokenKey", "userId", "locale", "timeZone", "appVersion",
    "osVersion", "model", "attributes", '${DEVICE_TRANSITIONS.register.to}'::"DeviceStatus", "at", "at", "at", "day"
  FROM input WHERE (SELECT count(*) FROM prior) >= 0 ORDER BY "n"
  ON CONFLICT ("token", "appId", "environment") DO UPDATE SET
    "userId" = excluded."userId", "locale" = excluded."locale", "timeZone" = excluded."timeZone",
    "appVersion" = excluded."appVersion", "osVersion" = excluded."osVersion", "model" = excluded."model",
    "attributes" = COALESCE(excluded."attributes", "Device"."attributes"),
    ${REACTIVATE(`"Device".`, `excluded."lastRegisteredAt"`, `excluded."registeredDay"`)}
  RETURNING "id", "token", "appId", "environment", (xmax = 0) AS "inserted"
), written AS (
  SELECT u."id", u."inserted", i."n", i."at", i."detail", i."tags", p."status"::text AS "prior"
  FROM upserted u
  JOIN input i ON i."token" = u."token" AND i."appId" = u."appId" AND i."environment" = u."environment"
  LEFT JOIN prior p ON p."id" = u."id"
), events AS (
  INSERT INTO "DeviceEvent" ("deviceId", "kind", "at", "detail")
  SELECT "id", (CASE WHEN "inserted" THEN '${DEVICE_TRANSITIONS.register.event}'
    ELSE '${DEVICE_TRANSITIONS.reactivate.event}' END)::"DeviceEventKind", "at", "detail"
  FROM written WHERE "inserted" OR ${fromStatesSql("reactivate", `"prior"`)} ORDER BY "n"
), untagged AS (
  DELETE FROM "DeviceTag" t USING written w
  WHERE t."deviceId" = w."id" AND w."tags" IS NOT NULL AND NOT w."inserted" AND NOT (w."tags" ? t."tag")
), tagged AS (
  INSERT INTO "DeviceTag" ("deviceId", "tag")
  SELECT w."id", tag FROM written w, jsonb_array_elements_text(w."tags") AS tag ORDER BY w."n"
  ON CONFLICT DO NOTHING
)
SELECT COALESCE(json_agg(json_build_array("id", "inserted", "prior") ORDER BY "n"), '[]') AS "written"
FROM written`);

/**
 * PostgreSQL (many writers): one statement locks the chunk's devices, upserts them and writes their
 * events and tags: one round trip for up to 5,000 devices.
 */
const writePostgres: ChunkWriter = async (tx, items, start, end, results) => {
  // Rows travel as one JSON text (JSON.stringify is native; pg's array literals are built in JS at
  // ~5 µs a device), and come back as one, in input order: [id, inserted, prior state]. The count
  // goes along for generate_series(): the planner sizes the statement's joins from it (from
  // jsonb_array_elements() it would assume 100 rows and nest loops over 5,000).
  const input: unknown[] = new Array(end - start);
  for (let i = start; i < end; i++) {
    const { row: r, at, day, detail } = items[i];
    input[i - start] = [
      r.appId,
      r.environment,
      r.token,
      r.tokenKey,
      r.userId,
      r.locale,
      r.timeZone,
      r.appVersion,
      r.osVersion,
      r.model,
      r.attributes,
      at,
      detail,
      r.tags,
      day,
    ];
  }
  const [{ written }] = await tx.query<{ written: [number, boolean, DeviceStatus | null][] }>(
    PG_UPSERT,
    [JSON.stringify(input), input.length],
  );
  written.forEach(([id, inserted, prior], k) => {
    results[start + k] = {
      deviceId: Number(id),
      kind: inserted ? "created" : UPSERT_KIND[registrationOf(prior ?? "ACTIVE")],
    };
  });
};
