import "server-only";
import { getDb } from "@/lib/db/client";

export type OverviewStats = {
  sends24h: number;
  /** Accepted share of the last 24 h's answered sends; null when nothing was answered. */
  acceptanceRate: number | null;
  activeDevices: number;
  campaignsRunning: number;
};

/** Plain counts that every role may see (no rows, no tokens). */
export async function getOverviewStats(now = new Date()): Promise<OverviewStats> {
  const db = getDb();
  const since = new Date(now.getTime() - 24 * 60 * 60 * 1000);
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
