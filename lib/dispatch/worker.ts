import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { systemActor } from "@/lib/access/authorize";
import type { Db } from "@/lib/db/client";
import type { SqlRunner } from "@/lib/db/sql";
import { claimBatch, releaseLeases } from "./claim";
import { runSchedulerTick } from "./scheduler";
import { sendBatch, type BatchResult } from "./send-batch";

/**
 * A dispatch worker (docs/dispatch.md): claim a leased batch, send it, record it, again; between
 * batches, every `tickMs`, the scheduler's tick. On SQLite one runs per process (the database has
 * one writer); on PostgreSQL any number, on any number of machines. `stop()` is the graceful
 * shutdown: it lets the batch in hand finish (sent and recorded), gives back anything it could not
 * record, and resolves when the loop has ended.
 */

/** Rows per claim. */
export const BATCH_SIZE = 500;
/**
 * A batch's lease: longer than the sender's retry time budget (3 minutes, docs/apns-sender.md)
 * plus recording, so a live worker never loses rows it is still sending.
 */
export const LEASE_MS = 5 * 60_000;

export type WorkerOptions = {
  sql: SqlRunner;
  db: Db;
  /** Unique per worker: stamped on the rows it holds (leaseOwner). Default host:pid:random. */
  owner?: string;
  batchSize?: number;
  leaseMs?: number;
  /** Wait when there was nothing to claim. */
  idleMs?: number;
  /** Run the scheduler's tick this often (0: never, for workers that only send). */
  tickMs?: number;
  now?: () => Date;
  onBatch?: (result: BatchResult) => void;
  onError?: (error: unknown) => void;
};

export type Worker = {
  owner: string;
  /** Finish the batch in hand, then end. */
  stop(): Promise<void>;
  /** The loop's end (after stop()). */
  readonly done: Promise<void>;
};

export function startWorker(options: WorkerOptions): Worker {
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const now = options.now ?? (() => new Date());
  const actor = systemActor("dispatch");
  const tickMs = options.tickMs ?? 5_000;
  const busy = new Set<string>();
  let stopping = false;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });
  const report =
    options.onError ?? ((error: unknown) => console.error(`dispatch worker ${owner}:`, error));
  let lastTick = 0;

  const loop = async () => {
    while (!stopping) {
      try {
        if (tickMs > 0 && Date.now() - lastTick >= tickMs) {
          lastTick = Date.now();
          await runSchedulerTick({ db: options.db, sql: options.sql, now: now(), actor, busy });
        }
        const batch = await claimBatch(options.sql, {
          owner,
          limit: options.batchSize ?? BATCH_SIZE,
          leaseMs: options.leaseMs ?? LEASE_MS,
          now: now(),
        });
        if (!batch.length) {
          await sleep(options.idleMs ?? 1_000);
          continue;
        }
        try {
          const result = await sendBatch(
            { db: options.db, sql: options.sql, actor, owner, now },
            batch,
          );
          options.onBatch?.(result);
        } catch (error) {
          // Not recorded: give the rows back now rather than when the lease runs out. They may
          // have been sent, so they are flagged as possible duplicates.
          await releaseLeases(
            options.sql,
            owner,
            batch.map((b) => b.id),
          ).catch(() => {});
          throw error;
        }
      } catch (error) {
        report(error);
        if (!stopping) await sleep(options.idleMs ?? 1_000);
      }
    }
  };
  const done = loop();

  return {
    owner,
    done,
    async stop() {
      stopping = true;
      wake?.();
      await done;
    },
  };
}
