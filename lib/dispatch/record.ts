import type { SendFailure } from "@/lib/apns";
import { sqlDate, toDate, type SqlRunner } from "@/lib/db/sql";
import { invalidatesToken } from "@/lib/deliveries/outcome-status";
import { endDevices, type EndItem } from "@/lib/devices/device-state";
import { valuesList } from "@/lib/devices/sql-values";

/**
 * Writing a batch's outcomes back to the outbox in bulk (docs/dispatch.md): one set-based UPDATE
 * for the whole batch (SQLite: `UPDATE … FROM (VALUES …)`; PostgreSQL: `UPDATE … FROM unnest(…)`,
 * one parameter per column whatever the batch size), then the token invalidations through the
 * device state table, in the caller's transaction. Only rows this worker still holds are written:
 * if its lease ran out and another worker took a row over, that worker's outcome is the one kept.
 */

export type OutcomeRow = {
  id: number;
  deviceId: number;
  status: "ACCEPTED" | "REJECTED" | "FAILED" | "DEFERRED" | "QUEUED" | "CANCELLED";
  apnsStatus: number | null;
  reason: string | null;
  apnsUniqueId: string | null;
  possibleDuplicate: boolean;
  /** Due again (rows going back to the queue); null keeps the row's availableAt. */
  availableAt: Date | null;
  sentAt: Date | null;
  completedAt: Date | null;
  /** APNs says the token is dead: invalidate it if its verdict is newer than the registration. */
  invalidate?: SendFailure;
};

// 10 parameters a row: far below SQLite's 32,766 per statement.
const SQLITE_ROWS_PER_STATEMENT = 2000;

/** Returns the ids written (still held by `owner`) and the devices invalidated now. */
export async function recordOutcomes(
  tx: SqlRunner,
  owner: string,
  rows: readonly OutcomeRow[],
  now: Date,
): Promise<{ written: Set<number>; invalidated: number[] }> {
  const written = new Set<number>();
  if (tx.provider === "postgresql") {
    for (const id of await updatePostgres(tx, owner, rows)) written.add(id);
  } else {
    for (let start = 0; start < rows.length; start += SQLITE_ROWS_PER_STATEMENT)
      for (const id of await updateSqlite(
        tx,
        owner,
        rows.slice(start, start + SQLITE_ROWS_PER_STATEMENT),
      ))
        written.add(id);
  }
  const dead = rows.filter((r) => r.invalidate && written.has(r.id));

  return { written, invalidated: await invalidate(tx, dead, now) };
}

const date = (tx: SqlRunner, d: Date | null) => (d ? sqlDate(tx.provider, d) : null);

async function updatePostgres(tx: SqlRunner, owner: string, rows: readonly OutcomeRow[]) {
  const result = await tx.query<{ id: number }>(
    `UPDATE "Delivery" x SET "status" = v."status"::"DeliveryStatus", "apnsStatus" = v."apnsStatus",
       "reason" = v."reason", "apnsUniqueId" = v."apnsUniqueId",
       "possibleDuplicate" = x."possibleDuplicate" OR v."dup",
       "availableAt" = coalesce(v."availableAt", x."availableAt"), "sentAt" = v."sentAt",
       "completedAt" = v."completedAt", "leaseOwner" = NULL, "leaseExpiresAt" = NULL
     FROM unnest($2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::bool[],
       $8::timestamp(3)[], $9::timestamp(3)[], $10::timestamp(3)[])
       AS v("id", "status", "apnsStatus", "reason", "apnsUniqueId", "dup", "availableAt", "sentAt", "completedAt")
     WHERE x."id" = v."id" AND x."leaseOwner" = $1 AND x."status" = 'SENDING'
     RETURNING x."id"`,
    [
      owner,
      rows.map((r) => r.id),
      rows.map((r) => r.status),
      rows.map((r) => r.apnsStatus),
      rows.map((r) => r.reason),
      rows.map((r) => r.apnsUniqueId),
      rows.map((r) => r.possibleDuplicate),
      rows.map((r) => date(tx, r.availableAt)),
      rows.map((r) => date(tx, r.sentAt)),
      rows.map((r) => date(tx, r.completedAt)),
    ],
  );

  return result.map((r) => Number(r.id));
}

async function updateSqlite(tx: SqlRunner, owner: string, rows: readonly OutcomeRow[]) {
  const params: unknown[] = [owner];
  for (const r of rows)
    params.push(
      r.id,
      r.status,
      r.apnsStatus,
      r.reason,
      r.apnsUniqueId,
      r.possibleDuplicate ? 1 : 0,
      date(tx, r.availableAt),
      date(tx, r.sentAt),
      date(tx, r.completedAt),
    );
  const result = await tx.query<{ id: number }>(
    `UPDATE "Delivery" SET "status" = v.column2, "apnsStatus" = v.column3, "reason" = v.column4,
       "apnsUniqueId" = v.column5, "possibleDuplicate" = ("Delivery"."possibleDuplicate" OR v.column6),
       "availableAt" = coalesce(v.column7, "Delivery"."availableAt"), "sentAt" = v.column8,
       "completedAt" = v.column9, "leaseOwner" = NULL, "leaseExpiresAt" = NULL
     FROM (VALUES ${valuesList(rows.length, 9, 2)}) AS v
     WHERE "Delivery"."id" = v.column1 AND "Delivery"."leaseOwner" = $1 AND "Delivery"."status" = 'SENDING'
     RETURNING "Delivery"."id" AS "id"`,
    params,
  );

  return result.map((r) => Number(r.id));
}

/**
 * Invalidates the devices whose 410 (or BadDeviceToken, …) is newer than their last registration
 * (a reinstall re-registers the same token: docs/architecture.md "The lifecycle of a token"), the
 * rule (invalidatesToken) a test push follows too, here for a whole batch. PostgreSQL
 * locks the devices in id order until commit, so a registration cannot slip in between the check
 * and the write, and two workers cannot deadlock.
 */
async function invalidate(tx: SqlRunner, rows: readonly OutcomeRow[], now: Date) {
  if (!rows.length) return [];
  const ids = [...new Set(rows.map((r) => r.deviceId))].sort((a, b) => a - b);
  const devices = await tx.query<{ id: number; lastRegisteredAt: unknown }>(
    tx.provider === "postgresql"
      ? `SELECT "id", "lastRegisteredAt" FROM "Device" WHERE "id" = ANY($1::int[]) ORDER BY "id" FOR UPDATE`
      : `SELECT "id", "lastRegisteredAt" FROM "Device" WHERE "id" IN (SELECT "value" FROM json_each($1))`,
    [tx.provider === "postgresql" ? ids : JSON.stringify(ids)],
  );
  const registered = new Map(devices.map((d) => [Number(d.id), toDate(d.lastRegisteredAt)!]));
  const items = new Map<number, EndItem>();
  for (const r of rows) {
    const at = registered.get(r.deviceId);
    const verdict = r.invalidate!;
    if (!at || items.has(r.deviceId) || !invalidatesToken(verdict, at)) continue;
    items.set(r.deviceId, {
      deviceId: r.deviceId,
      reason: verdict.reason,
      at: verdict.timestamp !== undefined ? new Date(verdict.timestamp) : now,
      detail: JSON.stringify({ reason: verdict.reason, deliveryId: r.id, apnsId: verdict.apnsId }),
    });
  }

  return endDevices(
    tx,
    "invalidate",
    [...items.values()].sort((a, b) => a.deviceId - b.deviceId),
    now,
  );
}
