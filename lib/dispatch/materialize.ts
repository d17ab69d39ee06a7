import { authorize, type Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { auditActor, recordAudit } from "@/lib/audit/record";
import type { Audience } from "@/lib/campaigns/audience-schema";
import { audienceQuery } from "@/lib/campaigns/audience-sql";
import { findCampaignRow } from "@/lib/campaigns/campaign-dto";
import { campaignRefSchema, type CampaignRef } from "@/lib/campaigns/campaign-schema";
import { CAMPAIGNS_SEND } from "@/lib/campaigns/schedule";
import { moveCampaign, transition, type CampaignStatus } from "@/lib/campaigns/status";
import { getDb } from "@/lib/db/client";
import type { DatabaseProvider } from "@/lib/db/config";
import { getSql, sqlDate, type SqlRunner } from "@/lib/db/sql";
import type { DbEnvironment } from "@/lib/validations/device";

/**
 * Starting a campaign: the status move and the audience turned into Delivery rows, the durable
 * outbox (docs/architecture.md, decision 2; docs/dispatch.md). The rows are written inside the
 * database by `INSERT … SELECT` over the composer's one audience builder (audienceQuery), one
 * chunk of devices at a time in device-id order: the audience never passes through this process.
 */

/** Devices per INSERT … SELECT: bounds each statement's time (and SQLite's write lock). */
export const MATERIALIZE_CHUNK = 5000;

export type DispatchOptions = {
  db?: DbTx;
  sql?: SqlRunner;
  now?: Date;
  ip?: string | null;
  /** Devices per chunk (tests use small ones to see a half-done materialization). */
  chunkSize?: number;
  /** Stop after this many chunks (tests: a crash half-way). */
  maxChunks?: number;
};

export type MaterializeResult = {
  /** Rows this call inserted. */
  inserted: number;
  /** The campaign's deliveries once complete; null when it stopped before the end. */
  totalCount: number | null;
};

/**
 * Starts a scheduled campaign now (staff: campaigns.send; the scheduler calls it as SYSTEM when
 * the send time arrives): scheduled → sending with its audit row, then its deliveries. Calling it
 * again for a campaign whose materialization was cut short (a crash) continues where it stopped;
 * the unique (campaignId, deviceId) makes sure no device gets a second row.
 */
export async function startCampaign(
  actor: Actor,
  raw: CampaignRef,
  options: DispatchOptions = {},
): Promise<MaterializeResult> {
  authorize(actor, CAMPAIGNS_SEND);
  const { id } = campaignRefSchema.parse(raw);
  const db = options.db ?? getDb();
  const now = options.now ?? new Date();
  const row = await findCampaignRow(db, actor, id);
  const status = row.status as CampaignStatus;
  const unfinished = (status === "SENDING" || status === "PAUSED") && row.materializedAt === null;
  if (!unfinished) {
    transition({ status }, "start"); // CONFLICT in words unless scheduled
    await db.$transaction(async (tx) => {
      await moveCampaign(tx, id, "start", { data: { startedAt: now } });
      await recordAudit(tx, {
        actor: auditActor(actor),
        action: "campaign.start",
        targetType: "campaign",
        targetId: id,
        success: true,
        detail: { scheduledAt: row.scheduledAt?.toISOString() ?? null },
        ip: options.ip,
      });
    });
  }

  return materializeCampaign(actor, id, { ...options, db, now });
}

type Target = {
  appId: string;
  environment: DbEnvironment;
  audience: Audience;
  ratePerMinute: number | null;
  startedAt: Date;
};

/**
 * Writes the rest of a started campaign's deliveries and then, once, its totalCount and
 * materializedAt. A primitive of startCampaign and the scheduler (which resumes one cut short):
 * the caller has authorized. Stops early, leaving materializedAt null, if the campaign was
 * cancelled or failed meanwhile.
 */
export async function materializeCampaign(
  actor: Actor,
  id: string,
  options: DispatchOptions = {},
): Promise<MaterializeResult> {
  const db = options.db ?? getDb();
  const sql = options.sql ?? getSql();
  const now = options.now ?? new Date();
  const chunkSize = options.chunkSize ?? MATERIALIZE_CHUNK;
  const row = await db.campaign.findUniqueOrThrow({ where: { id } });
  if (row.materializedAt) return { inserted: 0, totalCount: row.totalCount };
  const target: Target = {
    appId: row.appId,
    environment: row.environment,
    audience: JSON.parse(row.audience) as Audience,
    ratePerMinute: row.ratePerMinute,
    // The audience and the throttle's slots are read as of the start, so a resumed run continues
    // the same ones.
    startedAt: row.startedAt ?? now,
  };
  // Where an interrupted run stopped: rows are inserted in device-id order, one atomic statement
  // per chunk, so the campaign's largest device id is its progress (read through the unique
  // (campaignId, deviceId) index).
  const [progress] = await sql.query<{ last: number | null; n: number | string }>(
    `SELECT max("deviceId") AS "last", count(*) AS "n" FROM "Delivery" WHERE "campaignId" = $1`,
    [id],
  );
  let cursor = Number(progress.last ?? 0);
  let offset = Number(progress.n);
  let inserted = 0;
  for (let chunks = 0; ; chunks++) {
    if (options.maxChunks !== undefined && chunks >= options.maxChunks)
      return { inserted, totalCount: null };
    const current = await db.campaign.findUnique({ where: { id }, select: { status: true } });
    if (!current || !["SENDING", "PAUSED"].includes(current.status))
      return { inserted, totalCount: null };
    const step = await insertChunk(sql, id, target, { cursor, offset, chunkSize, now });
    inserted += step.inserted;
    offset += step.inserted;
    if (step.last === null) break;
    cursor = step.last;
    if (step.devices < chunkSize) break;
  }
  const [{ n }] = await sql.query<{ n: number | string }>(
    `SELECT count(*) AS "n" FROM "Delivery" WHERE "campaignId" = $1`,
    [id],
  );
  const totalCount = Number(n);
  await db.$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({
      where: { id, materializedAt: null },
      data: { totalCount, materializedAt: now },
    });
    if (count === 0) return; // another process finished it first
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "campaign.materialize",
      targetType: "campaign",
      targetId: id,
      success: true,
      detail: { totalCount },
      ip: options.ip,
    });
  });

  return { inserted, totalCount };
}

/**
 * One chunk: the next `chunkSize` matching devices after `cursor` (their last id found first, so
 * two processes resuming the same campaign insert the same range and the unique index drops the
 * second copy instead of one of them skipping devices), then one INSERT … SELECT over that range.
 */
async function insertChunk(
  sql: SqlRunner,
  campaignId: string,
  target: Target,
  at: { cursor: number; offset: number; chunkSize: number; now: Date },
): Promise<{ devices: number; last: number | null; inserted: number }> {
  const audience = (firstParam: number) =>
    audienceQuery(
      sql.provider,
      {
        appId: target.appId,
        environment: target.environment,
        audience: target.audience,
        now: target.startedAt,
      },
      { firstParam },
    );
  const scan = audience(3);
  const [range] = await sql.query<{ last: number | null; n: number | string }>(
    `SELECT max("id") AS "last", count(*) AS "n" FROM (
       SELECT d."id" FROM ${scan.from} WHERE ${scan.where} AND d."id" > $1 ORDER BY d."id" LIMIT $2
     ) s`,
    [at.cursor, at.chunkSize, ...scan.params],
  );
  const devices = Number(range.n);
  if (devices === 0 || range.last === null) return { devices: 0, last: null, inserted: 0 };
  const last = Number(range.last);
  const pg = sql.provider === "postgresql";
  const ts = (n: number) => (pg ? `$${n}::timestamp(3)` : `$${n}`);
  // $5 (and with a throttle $6, $7): availableAt's parameters; the audience's come after them.
  const slot = target.ratePerMinute
    ? [target.startedAt.getTime(), at.offset, 60_000 / target.ratePerMinute]
    : [sqlDate(sql.provider, at.now)];
  const q = audience(5 + slot.length);
  const inserted = await sql.execute(
    `INSERT INTO "Delivery" ("kind", "campaignId", "deviceId", "status", "apnsId", "attempts", "possibleDuplicate", "availableAt", "createdAt")
     SELECT 'CAMPAIGN', $1, d."id", 'QUEUED', ${newApnsId(sql.provider)}, 0, false, ${availableAt(sql.provider, target.ratePerMinute)}, ${ts(2)}
     FROM ${q.from} WHERE ${q.where} AND d."id" > $3 AND d."id" <= $4
     ON CONFLICT ("campaignId", "deviceId") DO NOTHING`,
    [campaignId, sqlDate(sql.provider, at.now), at.cursor, last, ...slot, ...q.params],
  );

  return { devices, last, inserted };
}

/**
 * Each row's own apns-id, a lowercase canonical UUID made by the database (APNs echoes it back;
 * it stays the delivery's across re-sends). SQLite has no UUID function: a version-4 UUID from
 * randomblob, as its documentation's recipe.
 */
function newApnsId(provider: DatabaseProvider): string {
  if (provider === "postgresql") return "gen_random_uuid()::text";

  return `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;
}

/**
 * When a row may be claimed: now ($5) without a throttle; with one, its slot — the campaign's
 * start ($5, ms) plus its place in the campaign ($6 rows before this chunk, then the row's rank
 * in the chunk) times the spacing ($7 ms). Dates are written as each database stores them.
 */
function availableAt(provider: DatabaseProvider, ratePerMinute: number | null): string {
  if (!ratePerMinute) return provider === "postgresql" ? "$5::timestamp(3)" : "$5";
  const rank = `($6 + row_number() OVER (ORDER BY d."id") - 1)`;
  if (provider === "postgresql")
    return `to_timestamp(($5::float8 + ${rank} * $7::float8) / 1000.0) AT TIME ZONE 'UTC'`;

  return `strftime('%Y-%m-%dT%H:%M:%f', ($5 + ${rank} * $7) / 1000.0, 'unixepoch') || '+00:00'`;
}
