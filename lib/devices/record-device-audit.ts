import type { Principal } from "@/lib/auth/guard";
import { sqlDate, type SqlRunner } from "@/lib/db/sql";

/**
 * Audit rows for registry mutations, written with raw SQL inside the registration's own
 * transaction (architecture.md #7) so that the hot path pays one cheap insert, not a Prisma call.
 * A request that only refreshed devices (an app launch) changes no state and is not audited; its
 * trace is Device.lastRegisteredAt.
 */
export function actorOf(principal: Principal): {
  type: "USER" | "API_KEY";
  id: string;
  label: string;
} {
  return principal.kind === "user"
    ? { type: "USER", id: principal.id, label: principal.email }
    : { type: "API_KEY", id: principal.id, label: `api key ${principal.name}` };
}

/** One audit row, in the caller's transaction. */
export async function insertAudit(
  tx: SqlRunner,
  principal: Principal,
  entry: {
    action: string;
    targetId: string | null;
    detail: Record<string, unknown>;
    now: Date;
    ip: string | null;
    success?: boolean;
  },
): Promise<void> {
  const actor = actorOf(principal);
  await tx.execute(
    `INSERT INTO "AuditLog" ("actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "success", "detail", "ip", "createdAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      actor.type,
      actor.id,
      actor.label,
      entry.action,
      "device",
      entry.targetId,
      entry.success ?? true,
      JSON.stringify(entry.detail),
      entry.ip,
      sqlDate(tx.provider, entry.now),
    ],
  );
}

export async function recordDeviceAudit(
  tx: SqlRunner,
  principal: Principal,
  summary: {
    created: number;
    reactivated: number;
    refreshed: number;
    rejected: number;
    received: number;
  },
  now: Date,
  ip: string | null,
  deviceId: number | null,
): Promise<void> {
  if (!summary.created && !summary.reactivated) return;
  const action = summary.received > 1 ? "device.register-batch" : "device.register";
  await insertAudit(tx, principal, {
    action,
    targetId: deviceId === null ? null : String(deviceId),
    detail: summary,
    now,
    ip,
  });
}
