import type { Principal } from "@/lib/auth/guard";
import { getSql, type SqlRunner } from "@/lib/db/sql";
import { assertAllowed } from "./device-access";
import { requireDevice, tokenInApp, type TokenLookup } from "./get-device";
import { insertAudit } from "./record-device-audit";
import { sqlDate } from "@/lib/db/sql";

/**
 * Ending a device's registration keeps the row (history, delivery timeline) and stops sends to it:
 * status REVOKED. An app unregistering its own token (API DELETE) is recorded as UNREGISTERED; staff
 * revoking a device from its page as REVOKED with their reason. Both are audited and idempotent;
 * registering the token again makes it active (a reactivation).
 */
type Options = { sql?: SqlRunner; now?: Date; ip?: string | null };

async function endRegistration(
  sql: SqlRunner,
  principal: Principal,
  deviceId: number,
  kind: "UNREGISTERED" | "REVOKED",
  reason: string,
  now: Date,
  ip: string | null,
): Promise<{ deviceId: number; changed: boolean }> {
  const at = sqlDate(sql.provider, now);

  return sql.transaction(async (tx) => {
    const changed = await tx.execute(
      `UPDATE "Device" SET "status" = 'REVOKED', "invalidReason" = $1, "invalidatedAt" = $2, "updatedAt" = $2 WHERE "id" = $3 AND "status" <> 'REVOKED'`,
      [reason, at, deviceId],
    );
    if (changed) {
      const by = principal.kind === "user" ? `user:${principal.id}` : `api-key:${principal.id}`;
      await tx.execute(
        `INSERT INTO "DeviceEvent" ("deviceId", "kind", "at", "detail") VALUES ($1, $2, $3, $4)`,
        [deviceId, kind, at, JSON.stringify({ by, reason })],
      );
    }
    await insertAudit(tx, principal, {
      action: kind === "REVOKED" ? "device.revoke" : "device.unregister",
      targetId: String(deviceId),
      detail: { reason, changed: changed > 0 },
      now,
      ip,
    });

    return { deviceId, changed: changed > 0 };
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
    "UNREGISTERED",
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
    "REVOKED",
    why,
    options.now ?? new Date(),
    options.ip ?? null,
  );
}
