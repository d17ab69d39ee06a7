import type { SendOutcome } from "@/lib/apns";
import type { Db } from "@/lib/db/client";
import { deliveryStatusOf, invalidatesToken } from "./outcome-status";

/**
 * Records APNs' answer on a delivery row and, when the answer says the token is dead, invalidates
 * the device (kept for history, never sent to again until it re-registers). Returns whether the
 * device was invalidated now.
 */
export async function applyDeliveryOutcome(
  db: Db,
  deliveryId: number,
  outcome: SendOutcome,
  now = new Date(),
): Promise<boolean> {
  const delivery = await db.delivery.update({
    where: { id: deliveryId },
    data: {
      status: deliveryStatusOf(outcome),
      apnsStatus: outcome.status || null,
      apnsUniqueId: outcome.ok ? (outcome.apnsUniqueId ?? null) : null,
      reason: outcome.ok ? null : outcome.reason,
      attempts: outcome.attempts,
      sentAt: now,
      completedAt: now,
      leaseOwner: null,
      leaseExpiresAt: null,
    },
    include: { device: true },
  });
  const device = delivery.device;
  if (device.status !== "ACTIVE" || !invalidatesToken(outcome, device.lastRegisteredAt))
    return false;
  const reason = outcome.ok ? "" : outcome.reason;
  const at = !outcome.ok && outcome.timestamp ? new Date(outcome.timestamp) : now;
  const changed = await db.device.updateMany({
    where: { id: device.id, status: "ACTIVE", lastRegisteredAt: device.lastRegisteredAt },
    data: { status: "INVALID", invalidReason: reason, invalidatedAt: at, updatedAt: now },
  });
  if (changed.count === 0) return false;
  await db.deviceEvent.create({
    data: {
      deviceId: device.id,
      kind: "INVALIDATED",
      at,
      detail: JSON.stringify({ reason, deliveryId, apnsId: delivery.apnsId }),
    },
  });

  return true;
}
