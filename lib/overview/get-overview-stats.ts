import { authorize, type Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { getDb } from "@/lib/db/client";

export type OverviewStats = {
  sends24h: number;
  /** Accepted share of the last 24 h's answered sends; null when nothing was answered. */
  acceptanceRate: number | null;
  activeDevices: number;
  campaignsRunning: number;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** The overview's key figures: plain counts that every role may see (no rows, no tokens). */
export async function getOverviewStats(
  actor: Actor,
  input: { now?: Date } = {},
  options: { db?: DbTx } = {},
): Promise<OverviewStats> {
  authorize(actor, { permission: "overview.read" });
  const db = options.db ?? getDb();
  const since = new Date((input.now ?? new Date()).getTime() - DAY_MS);
  const [sends24h, accepted, rejected, activeDevices, campaignsRunning] = await Promise.all([
    db.delivery.count({ where: { sentAt: { gte: since } } }),
    db.delivery.count({ where: { sentAt: { gte: since }, status: "ACCEPTED" } }),
    db.delivery.count({ where: { sentAt: { gte: since }, status: "REJECTED" } }),
    db.device.count({ where: { status: "ACTIVE" } }),
    db.campaign.count({ where: { status: "SENDING" } }),
  ]);
  const answered = accepted + rejected;

  return {
    sends24h,
    acceptanceRate: answered ? accepted / answered : null,
    activeDevices,
    campaignsRunning,
  };
}
