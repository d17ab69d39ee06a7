import type { SendOutcome } from "@/lib/apns";
import type { Db } from "@/lib/db/client";
import { getSql, sqlDate, toDate, type SqlRunner } from "@/lib/db/sql";
import { endDevices } from "@/lib/devices/device-state";
import { deliveryStatusOf, invalidatesToken } from "./outcome-status";

/**
 * Records APNs' answer on a delivery row and, when the outcome's action says the token is dead
 * (invalidatesToken: the APNs reasons table, and a verdict newer than the last registration),
 * invalidates the device through the device state table (kept for history, never sent to again
 * until it re-registers). Raw SQL in the caller's transaction, like reactivation and revocation:
 * pass the transaction (`sql.transaction(tx => …)`) so that the outcome, the invalidation, its
 * DeviceEvent and the caller's audit row commit together. Returns whether the device was
 * invalidated now.
 *
 * Given the Prisma client instead (callers not yet moved to the SQL runner), it runs in a SQL
 * transaction of its own on the process-wide runner. A Prisma transaction is refused by the type:
 * the two stacks cannot share one transaction.
 */
export async function applyDeliveryOutcome(
  tx: SqlRunner | Db,
  deliveryId: number,
  outcome: SendOutcome,
  now = new Date(),
): Promise<boolean> {
  if (!isSqlRunner(tx))
    return getSql().transaction((own) => applyDeliveryOutcome(own, deliveryId, outcome, now));
  const at = sqlDate(tx.provider, now);
  const [delivery] = await tx.query<{ deviceId: number; apnsId: string }>(
    `UPDATE "Delivery" SET "status" = $1, "apnsStatus" = $2, "apnsUniqueId" = $3, "reason" = $4,
       "attempts" = $5, "sentAt" = $6, "completedAt" = $6, "leaseOwner" = NULL, "leaseExpiresAt" = NULL
     WHERE "id" = $7 RETURNING "deviceId", "apnsId"`,
    [
      deliveryStatusOf(outcome),
      outcome.status || null,
      outcome.ok ? (outcome.apnsUniqueId ?? null) : null,
      outcome.ok ? null : outcome.reason,
      outcome.attempts,
      at,
      deliveryId,
    ],
  );
  if (!delivery) throw new Error(`delivery ${deliveryId} does not exist`);
  if (outcome.ok || outcome.action !== "invalidate-token") return false;
  const deviceId = Number(delivery.deviceId);
  // Locked on PostgreSQL until the transaction ends, so a registration cannot slip in between the
  // timestamp check and the write; SQLite's transaction already holds the only write lock.
  const [device] = await tx.query<{ lastRegisteredAt: unknown }>(
    `SELECT "lastRegisteredAt" FROM "Device" WHERE "id" = $1${tx.provider === "postgresql" ? " FOR UPDATE" : ""}`,
    [deviceId],
  );
  if (!device || !invalidatesToken(outcome, toDate(device.lastRegisteredAt)!)) return false;
  const changed = await endDevices(
    tx,
    "invalidate",
    [
      {
        deviceId,
        reason: outcome.reason,
        at: outcome.timestamp ? new Date(outcome.timestamp) : now,
        detail: JSON.stringify({ reason: outcome.reason, deliveryId, apnsId: delivery.apnsId }),
      },
    ],
    now,
  );

  return changed.length > 0;
}

const isSqlRunner = (tx: SqlRunner | Db): tx is SqlRunner => "execute" in tx && "provider" in tx;
