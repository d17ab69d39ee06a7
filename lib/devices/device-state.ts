import { sqlDate, type SqlRunner } from "@/lib/db/sql";
import { ROWS_PER_STATEMENT, valuesList } from "./sql-values";

/**
 * A device's life as one table (docs/architecture.md, "The lifecycle of a token"): each transition,
 * the states it leaves from (null: no row yet), the state it reaches and the DeviceEvent it writes.
 * The writers below are the only code that writes Device's status or DeviceEvent; the registration
 * path (upsert-devices.ts) asks `registrationOf` and writes through `insertDeviceEvents`. Every
 * writer runs in the caller's transaction, so a state change and its event are committed together
 * or not at all. A transition from a state it does not list is refused: nothing changes, no event.
 *
 * Registering a device that is already ACTIVE is a refresh, not a transition: its profile and
 * Device.lastRegisteredAt move, its state does not, and no event is written.
 */
export type DeviceStatus = "ACTIVE" | "INVALID" | "REVOKED";
export type DeviceEventKind =
  "REGISTERED" | "REACTIVATED" | "INVALIDATED" | "REVOKED" | "UNREGISTERED";

type Transition = {
  from: readonly (DeviceStatus | null)[];
  to: DeviceStatus;
  event: DeviceEventKind;
};

export const DEVICE_TRANSITIONS = {
  /** An app registers a token not yet known for its (app, environment). */
  register: { from: [null], to: "ACTIVE", event: "REGISTERED" },
  /** An app registers again a token that had stopped receiving. */
  reactivate: { from: ["INVALID", "REVOKED"], to: "ACTIVE", event: "REACTIVATED" },
  /** APNs says the token is dead (the outcome's action is invalidate-token, lib/deliveries). */
  invalidate: { from: ["ACTIVE"], to: "INVALID", event: "INVALIDATED" },
  /** Staff revoke the device from its page. */
  revoke: { from: ["ACTIVE", "INVALID"], to: "REVOKED", event: "REVOKED" },
  /** The app unregisters its token (API DELETE). */
  unregister: { from: ["ACTIVE", "INVALID"], to: "REVOKED", event: "UNREGISTERED" },
} as const satisfies Record<string, Transition>;

export type DeviceTransition = keyof typeof DEVICE_TRANSITIONS;
/** Transitions that stop sends to an existing device. */
export type EndTransition = "invalidate" | "revoke" | "unregister";

export function allows(transition: DeviceTransition, from: DeviceStatus | null): boolean {
  return (DEVICE_TRANSITIONS[transition].from as readonly (DeviceStatus | null)[]).includes(from);
}

/** What registering does to a device in `status` (null: no row): a transition, or a refresh. */
export function registrationOf(status: DeviceStatus | null): "register" | "reactivate" | "refresh" {
  if (allows("register", status)) return "register";
  if (allows("reactivate", status)) return "reactivate";

  return "refresh";
}

/**
 * `"status" IN ('…', …)`: the SQL test for "the transition may leave from here". States are the
 * table's constants, never input.
 */
export function fromStatesSql(transition: DeviceTransition, column = `"status"`): string {
  const states = (DEVICE_TRANSITIONS[transition].from as readonly (DeviceStatus | null)[]).filter(
    (s): s is DeviceStatus => s !== null,
  );
  if (!states.length) return "FALSE";

  return `${column} IN (${states.map((s) => `'${s}'`).join(", ")})`;
}

/** One DeviceEvent row; `at` is already encoded for the database (sqlDate). */
export type DeviceEventRow = {
  deviceId: number;
  kind: DeviceEventKind;
  at: string;
  detail: string | null;
};

const EVENTS_PER_STATEMENT = 1000;

/** Appends events in the caller's transaction (the write that caused them is in it too). */
export async function insertDeviceEvents(
  tx: SqlRunner,
  events: readonly DeviceEventRow[],
): Promise<void> {
  for (let start = 0; start < events.length; start += EVENTS_PER_STATEMENT) {
    const part = events.slice(start, start + EVENTS_PER_STATEMENT);
    const params: unknown[] = new Array(part.length * 4);
    let p = 0;
    for (const e of part) {
      params[p++] = e.deviceId;
      params[p++] = e.kind;
      params[p++] = e.at;
      params[p++] = e.detail;
    }
    await tx.execute(
      `INSERT INTO "DeviceEvent" ("deviceId", "kind", "at", "detail") VALUES ${valuesList(part.length, 4)}`,
      params,
    );
  }
}

/** A device leaving service: why, and since when (APNs' timestamp for an invalidation). */
export type EndItem = { deviceId: number; reason: string; at: Date; detail: string | null };

/**
 * invalidate, revoke or unregister `items` (unique by deviceId) in the caller's transaction: the
 * devices whose state the table allows move to its target state, with reason and time, and each of
 * them gets its event. Returns the ids that changed; the others were refused (already there, or a
 * state the transition does not leave from).
 * - SQLite: UPDATE … FROM (VALUES …) RETURNING, then the events (the transaction holds the lock).
 * - PostgreSQL: one statement, the UPDATE in a CTE feeding the event INSERT.
 */
export async function endDevices(
  tx: SqlRunner,
  transition: EndTransition,
  items: readonly EndItem[],
  now: Date,
): Promise<number[]> {
  const changed: number[] = [];
  const write = tx.provider === "postgresql" ? endPostgres : endSqlite;
  for (let start = 0; start < items.length; start += ROWS_PER_STATEMENT)
    changed.push(
      ...(await write(tx, transition, items.slice(start, start + ROWS_PER_STATEMENT), now)),
    );

  return changed;
}

type EndWriter = (
  tx: SqlRunner,
  transition: EndTransition,
  items: readonly EndItem[],
  now: Date,
) => Promise<number[]>;

const endPostgres: EndWriter = async (tx, transition, items, now) => {
  const { to, event } = DEVICE_TRANSITIONS[transition];
  const rows = await tx.query<{ deviceId: number }>(
    `WITH v AS (
       SELECT * FROM unnest($1::int[], $2::text[], $3::timestamp(3)[], $4::text[]) AS v("id", "reason", "at", "detail")
     ), changed AS (
       UPDATE "Device" d SET "status" = '${to}', "invalidReason" = v."reason", "invalidatedAt" = v."at", "updatedAt" = $5
       FROM v WHERE d."id" = v."id" AND ${fromStatesSql(transition, `d."status"`)}
       RETURNING d."id", v."at", v."detail"
     )
     INSERT INTO "DeviceEvent" ("deviceId", "kind", "at", "detail")
     SELECT "id", '${event}'::"DeviceEventKind", "at", "detail" FROM changed ORDER BY "id"
     RETURNING "deviceId"`,
    [
      items.map((i) => i.deviceId),
      items.map((i) => i.reason),
      items.map((i) => sqlDate("postgresql", i.at)),
      items.map((i) => i.detail),
      sqlDate("postgresql", now),
    ],
  );

  return rows.map((r) => Number(r.deviceId));
};

const endSqlite: EndWriter = async (tx, transition, items, now) => {
  const { to, event } = DEVICE_TRANSITIONS[transition];
  const params: unknown[] = [sqlDate("sqlite", now)];
  for (const i of items) params.push(i.deviceId, i.reason, sqlDate("sqlite", i.at));
  const changed = await tx.query<{ id: number }>(
    `UPDATE "Device" SET "status" = '${to}', "invalidReason" = v.column2, "invalidatedAt" = v.column3, "updatedAt" = $1
     FROM (VALUES ${valuesList(items.length, 3, 2)}) AS v
     WHERE "Device"."id" = v.column1 AND ${fromStatesSql(transition, `"Device"."status"`)}
     RETURNING "Device"."id" AS "id"`,
    params,
  );
  const ids = changed.map((c) => Number(c.id)).sort((x, y) => x - y);
  const byId = new Map(items.map((i) => [i.deviceId, i]));
  await insertDeviceEvents(
    tx,
    ids.map((id) => {
      const item = byId.get(id)!;

      return { deviceId: id, kind: event, at: sqlDate("sqlite", item.at), detail: item.detail };
    }),
  );

  return ids;
};
