import type { Actor } from "@/lib/access/authorize";
import { getDb, type Db } from "@/lib/db/client";
import { getDeliveryTimeline, type DeliveryDto } from "./device-deliveries";

/**
 * The device page's delivery timeline: getDeliveryTimeline (access check, order, paging) plus the
 * columns support needs that its DTO leaves out — apns-unique-id (Apple's delivery-log key, in the
 * development environment) and the payload that was sent. One extra indexed query by primary key.
 */
export type TimelineEntry = DeliveryDto & { apnsUniqueId: string | null; payload: string | null };

export async function getDeviceTimeline(
  actor: Actor,
  deviceId: number,
  page: { limit?: number; cursor?: number } = {},
  options: { db?: Db } = {},
): Promise<{ entries: TimelineEntry[]; nextCursor: number | null }> {
  const db = options.db ?? getDb();
  const { deliveries, nextCursor } = await getDeliveryTimeline(actor, deviceId, page, { db });
  const extra = deliveries.length
    ? await db.delivery.findMany({
        where: { id: { in: deliveries.map((d) => d.id) } },
        select: { id: true, apnsUniqueId: true, payload: true },
      })
    : [];
  const byId = new Map(extra.map((e) => [e.id, e]));

  return {
    entries: deliveries.map((d) => ({
      ...d,
      apnsUniqueId: byId.get(d.id)?.apnsUniqueId ?? null,
      payload: byId.get(d.id)?.payload ?? null,
    })),
    nextCursor,
  };
}
