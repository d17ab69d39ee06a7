import { sqlDate, type SqlRunner } from "@/lib/db/sql";

/**
 * Claiming work from the outbox with a lease (docs/dispatch.md, docs/architecture.md decision 2).
 * A claim takes due rows of campaigns that are sending — QUEUED or DEFERRED rows whose availableAt
 * has come, and SENDING rows whose worker's lease ran out — and stamps them SENDING with this
 * worker's name, a lease expiry and one more attempt, in one statement per kind:
 * - SQLite: `UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING` (one writer: the process's one
 *   worker; the statement holds the write lock, so nothing else claims in between);
 * - PostgreSQL: the inner select takes `FOR UPDATE SKIP LOCKED`, so any number of workers, on any
 *   number of machines, claim disjoint batches without queueing behind each other.
 * Rows of a paused, cancelled or finished campaign are not claimed. A row claimed again after an
 * expired lease is flagged possibleDuplicate: the worker that held it may have sent it.
 */

export type ClaimedDelivery = {
  id: number;
  campaignId: string;
  deviceId: number;
  apnsId: string;
  /** Including this one. */
  attempts: number;
  /** Claimed from an expired lease (and so flagged as a possible duplicate). */
  reclaimed: boolean;
  token: string;
  locale: string | null;
  deviceStatus: string;
};

export type ClaimOptions = {
  /** This worker's name, stamped on the rows (leaseOwner); unique per worker. */
  owner: string;
  limit: number;
  /** How long the rows stay this worker's: must outlast the sender's retry time budget. */
  leaseMs: number;
  now?: Date;
};

// Rows of campaigns that are sending. Transactional sends (no campaign) join the queue later.
const OF_SENDING_CAMPAIGNS = `"campaignId" IN (SELECT "id" FROM "Campaign" WHERE "status" = 'SENDING')`;
const DUE = `"status" IN ('QUEUED', 'DEFERRED') AND "availableAt" <= $3`;
const LEASE_EXPIRED = `"status" = 'SENDING' AND "leaseExpiresAt" <= $3`;

export async function claimBatch(
  sql: SqlRunner,
  options: ClaimOptions,
): Promise<ClaimedDelivery[]> {
  const now = options.now ?? new Date();

  return sql.transaction(async (tx) => {
    // Expired leases first: they are the oldest work, and there are few (what crashed workers held).
    const reclaimed = await claimWhere(tx, LEASE_EXPIRED, true, options, now, options.limit);
    const fresh =
      reclaimed.length < options.limit
        ? await claimWhere(tx, DUE, false, options, now, options.limit - reclaimed.length)
        : [];

    return [...reclaimed, ...fresh];
  });
}

type Row = {
  id: number;
  campaignId: string;
  deviceId: number;
  apnsId: string;
  attempts: number;
  token: string;
  locale: string | null;
  deviceStatus: string;
};

async function claimWhere(
  tx: SqlRunner,
  condition: string,
  reclaim: boolean,
  options: ClaimOptions,
  now: Date,
  limit: number,
): Promise<ClaimedDelivery[]> {
  const params = [
    options.owner,
    sqlDate(tx.provider, new Date(now.getTime() + options.leaseMs)),
    sqlDate(tx.provider, now),
    limit,
  ];
  const flag = reclaim ? `, "possibleDuplicate" = true` : "";
  let rows: Row[];
  if (tx.provider === "postgresql") {
    rows = await tx.query<Row>(
      `WITH picked AS (
         SELECT "id" FROM "Delivery" WHERE ${OF_SENDING_CAMPAIGNS} AND ${condition}
         LIMIT $4 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE "Delivery" x SET "status" = 'SENDING', "leaseOwner" = $1, "leaseExpiresAt" = $2,
           "attempts" = x."attempts" + 1${flag}
         FROM picked WHERE x."id" = picked."id"
         RETURNING x."id", x."campaignId", x."deviceId", x."apnsId", x."attempts"
       )
       SELECT c.*, d."token", d."locale", d."status" AS "deviceStatus"
       FROM claimed c JOIN "Device" d ON d."id" = c."deviceId" ORDER BY c."id"`,
      params,
    );
  } else {
    const claimed = await tx.query<Omit<Row, "token" | "locale" | "deviceStatus">>(
      `UPDATE "Delivery" SET "status" = 'SENDING', "leaseOwner" = $1, "leaseExpiresAt" = $2,
         "attempts" = "attempts" + 1${flag}
       WHERE "id" IN (SELECT "id" FROM "Delivery" WHERE ${OF_SENDING_CAMPAIGNS} AND ${condition} LIMIT $4)
       RETURNING "id", "campaignId", "deviceId", "apnsId", "attempts"`,
      params,
    );
    if (!claimed.length) return [];
    const devices = await tx.query<{
      id: number;
      token: string;
      locale: string | null;
      status: string;
    }>(
      `SELECT "id", "token", "locale", "status" FROM "Device" WHERE "id" IN (SELECT "value" FROM json_each($1))`,
      [JSON.stringify(claimed.map((c) => Number(c.deviceId)))],
    );
    const byId = new Map(devices.map((d) => [Number(d.id), d]));
    rows = claimed.flatMap((c) => {
      const d = byId.get(Number(c.deviceId));

      return d ? [{ ...c, token: d.token, locale: d.locale, deviceStatus: d.status }] : [];
    });
  }

  return rows.map((r) => ({
    id: Number(r.id),
    campaignId: r.campaignId,
    deviceId: Number(r.deviceId),
    apnsId: r.apnsId,
    attempts: Number(r.attempts),
    reclaimed: reclaim,
    token: r.token,
    locale: r.locale,
    deviceStatus: r.deviceStatus,
  }));
}

/**
 * Gives back rows `owner` still holds (QUEUED, due now, lease cleared): a worker that could not
 * record its batch, or that stops before sending it. What it had sent may reach the device again,
 * so those rows are flagged possibleDuplicate unless `sent` is false. Returns how many rows were
 * released; rows whose lease another worker took over meanwhile are left alone.
 */
export async function releaseLeases(
  sql: SqlRunner,
  owner: string,
  ids: readonly number[],
  options: { sent: boolean; now?: Date } = { sent: true },
): Promise<number> {
  if (!ids.length) return 0;
  const list =
    sql.provider === "postgresql"
      ? `SELECT unnest($3::int[])`
      : `SELECT "value" FROM json_each($3)`;

  return sql.execute(
    `UPDATE "Delivery" SET "status" = 'QUEUED', "leaseOwner" = NULL, "leaseExpiresAt" = NULL,
       "availableAt" = $2${options.sent ? `, "possibleDuplicate" = true` : ""}
     WHERE "id" IN (${list}) AND "leaseOwner" = $1 AND "status" = 'SENDING'`,
    [
      owner,
      sqlDate(sql.provider, options.now ?? new Date()),
      sql.provider === "postgresql" ? ids : JSON.stringify(ids),
    ],
  );
}
