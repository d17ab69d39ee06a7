import type { Principal } from "@/lib/auth/guard";
import { getSql, type SqlRunner } from "@/lib/db/sql";
import { assertAllowed } from "./device-access";
import { requireDevice, tokenInApp, type TokenLookup } from "./get-device";
import { endDevices } from "./device-state";
import { insertAudit } from "./record-device-audit";

/**
 * Ending a device's registration keeps the row (history, delivery timeline) and stops sends to it:
 * the state table's `unregister` (an app unregistering its own token, API DELETE) or `revoke` (staff
 * revoking a device from its page, with their reason), both to REVOKED (device-state.ts). Both are
 * audited and idempotent: from a state the table does not allow, nothing changes and no event is
 * written. Registering the token again makes it active (a reactivation).
 */
type Options = { sql?: SqlRunner; now?: Date; ip?: string | null };

async function endRegistration(
  sql: SqlRunner,
  principal: Principal,
  deviceId: number,
  transition: "unregister" | "revoke",
  reason: string,
  now: Date,
  ip: string | null,
): Promise<{ deviceId: number; changed: boolean }> {
  return sql.transaction(async (tx) => {
    const by = principal.kind === "user" ? `user:${principal.id}` : `api-key:${principal.id}`;
    const changed =
      (
        await endDevices(
          tx,
          transition,
          [{ deviceId, reason, at: now, detail: JSON.stringify({ by, reason }) }],
          now,
        )
      ).length > 0;
    await insertAudit(tx, principal, {
      action: transition === "revoke" ? "device.revoke" : "device.unregister",
      targetId: String(deviceId),
      detail: { reason, changed },
      now,
      ip,
    });

    return { deviceId, changed };
  });
}

/** API: DELETE /api/v1/devices/{token}?app=… (scope devices:write). */
export async function unregisterDevice(
  principal: Principal,
  lookup: TokenLookup,
  options: Options = {},
): Promise<{ deviceId: number; changed: boolean }> {
  assertAllowed(principal, "devices.write", "devices:write");
  const sql = options.sql ?? getSql();
  const { where, params } = tokenInApp(lookup);
  const row = await requireDevice(
    sql,
    principal,
    where,
    params,
    `No device with this token is registered for app "${lookup.app}".`,
  );

  return endRegistration(
    sql,
    principal,
    Number(row.id),
    "unregister",
    "Unregistered by the app",
    options.now ?? new Date(),
    options.ip ?? null,
  );
}

/** Dashboard: support or admin revokes a device (permission devices.write). */
export async function revokeDevice(
  principal: Principal,
  deviceId: number,
  reason: string,
  options: Options = {},
): Promise<{ deviceId: number; changed: boolean }> {
  assertAllowed(principal, "devices.write", "devices:write");
  const sql = options.sql ?? getSql();
  await requireDevice(
    sql,
    principal,
    `d."id" = $1`,
    [deviceId],
    `Device ${deviceId} does not exist.`,
  );
  const why = reason.trim().slice(0, 500) || "Revoked by staff";

  return endRegistration(
    sql,
    principal,
    deviceId,
    "revoke",
    why,
    options.now ?? new Date(),
    options.ip ?? null,
  );
}
