import { authorize, type Actor } from "@/lib/access/authorize";
import { getDb, type Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { DEVICES_READ, restrictedAppId } from "./device-access";

export type DeliveryDto = {
  id: number;
  kind: string;
  campaignId: string | null;
  campaignName: string | null;
  status: string;
  apnsId: string;
  apnsStatus: number | null;
  reason: string | null;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  completedAt: string | null;
};
export type DeliveryPage = { deliveries: DeliveryDto[]; nextCursor: number | null };

export const TIMELINE_PAGE_MAX = 200;

/**
 * What was sent to a device and what APNs answered, newest first (support's view of a device).
 * Served by the (deviceId, createdAt) index; the cursor is the last delivery id of the previous page.
 */
export async function getDeliveryTimeline(
  actor: Actor,
  deviceId: number,
  page: { limit?: number; cursor?: number } = {},
  options: { db?: Db } = {},
): Promise<DeliveryPage> {
  authorize(actor, DEVICES_READ);
  const db = options.db ?? getDb();
  const limit = Math.min(Math.max(page.limit ?? 50, 1), TIMELINE_PAGE_MAX);
  const only = restrictedAppId(actor);
  const device = await db.device.findFirst({
    where: { id: deviceId, ...(only ? { appId: only } : {}) },
    select: { id: true },
  });
  if (!device) throw new AppError("NOT_FOUND", `Device ${deviceId} does not exist.`);
  const rows = await db.delivery.findMany({
    where: { deviceId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    include: { campaign: { select: { name: true } } },
  });
  const deliveries = rows.slice(0, limit).map((d) => ({
    id: d.id,
    kind: d.kind,
    campaignId: d.campaignId,
    campaignName: d.campaign?.name ?? null,
    status: d.status,
    apnsId: d.apnsId,
    apnsStatus: d.apnsStatus,
    reason: d.reason,
    attempts: d.attempts,
    createdAt: d.createdAt.toISOString(),
    sentAt: d.sentAt?.toISOString() ?? null,
    completedAt: d.completedAt?.toISOString() ?? null,
  }));

  return { deliveries, nextCursor: rows.length > limit ? deliveries.at(-1)!.id : null };
}
