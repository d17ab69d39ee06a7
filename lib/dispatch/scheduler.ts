import { systemActor, type Actor } from "@/lib/access/authorize";
import type { Db } from "@/lib/db/client";
import type { SqlRunner } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { completeIfDone } from "./complete";
import { materializeCampaign, startCampaign } from "./materialize";

/**
 * The scheduler's tick, run by every worker (docs/dispatch.md "Scheduling"): start the scheduled
 * campaigns whose time has come, resume materializations a crash cut short, and complete sending
 * campaigns with nothing left to send (in case the worker that recorded their last outcome died
 * before it could). Every step is safe to run in several processes at once: the status moves are
 * compare-and-set, and materialization is idempotent.
 *
 * Not yet: local-time campaigns (Campaign.localTime) are left scheduled; they need per-time-zone
 * materialization (docs/dispatch.md, "Still to come").
 */

/** A materialization silent for this long is taken over (its process is presumed dead). */
export const MATERIALIZE_STALE_MS = 2 * 60_000;
const DUE_PER_TICK = 10;

export type TickResult = { started: string[]; resumed: string[]; completed: string[] };

export async function runSchedulerTick(options: {
  db: Db;
  sql: SqlRunner;
  now?: Date;
  actor?: Actor;
  /** Materializations running in this process: never resumed by its own tick. */
  busy?: Set<string>;
}): Promise<TickResult> {
  const { db, sql } = options;
  const now = options.now ?? new Date();
  const actor = options.actor ?? systemActor("dispatch");
  const busy = options.busy ?? new Set<string>();
  const result: TickResult = { started: [], resumed: [], completed: [] };
  const run = async (id: string, work: () => Promise<unknown>) => {
    busy.add(id);
    try {
      await work();

      return true;
    } catch (error) {
      // Another process started or moved it first.
      if (error instanceof AppError && error.code === "CONFLICT") return false;
      throw error;
    } finally {
      busy.delete(id);
    }
  };

  const due = await db.campaign.findMany({
    where: { status: "SCHEDULED", localTime: false, scheduledAt: { lte: now } },
    orderBy: { scheduledAt: "asc" },
    take: DUE_PER_TICK,
    select: { id: true },
  });
  for (const { id } of due)
    if (!busy.has(id) && (await run(id, () => startCampaign(actor, { id }, { db, sql, now }))))
      result.started.push(id);

  const cutShort = await db.campaign.findMany({
    where: {
      status: { in: ["SENDING", "PAUSED"] },
      materializedAt: null,
      startedAt: { lte: new Date(now.getTime() - MATERIALIZE_STALE_MS) },
    },
    take: DUE_PER_TICK,
    select: { id: true },
  });
  for (const { id } of cutShort)
    if (!busy.has(id) && (await run(id, () => materializeCampaign(actor, id, { db, sql, now }))))
      result.resumed.push(id);

  const sending = await db.campaign.findMany({
    where: { status: "SENDING", materializedAt: { not: null } },
    select: { id: true },
  });
  for (const { id } of sending)
    if (await completeIfDone(db, sql, actor, id, now)) result.completed.push(id);

  return result;
}
