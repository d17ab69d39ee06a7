import type { Actor } from "@/lib/access/authorize";
import { auditActor, recordAudit, type AuditEntry } from "@/lib/audit/record";
import type { SqlRunner } from "@/lib/db/sql";

/**
 * Audit rows for registry mutations, through the one audit writer (lib/audit/record.ts) inside the
 * mutation's own SQL transaction (docs/architecture.md, decision 7): the hot path pays one cheap
 * insert, not a Prisma call. A request that only refreshed devices (an app launch) changes no state
 * and is not audited; its trace is Device.lastRegisteredAt.
 */

/** One device audit row, in the caller's transaction: recordAudit with targetType "device". */
export async function insertAudit(
  tx: SqlRunner,
  actor: Actor,
  entry: {
    action: string;
    targetId: string | null;
    detail: Record<string, unknown>;
    now: Date;
    ip: string | null;
    success?: boolean;
  },
): Promise<void> {
  await recordAudit(tx, {
    actor: auditActor(actor),
    action: entry.action,
    targetType: "device",
    targetId: entry.targetId,
    success: entry.success ?? true,
    detail: entry.detail,
    ip: entry.ip,
    at: entry.now,
  });
}

export type RegistrationAuditSummary = {
  created: number;
  reactivated: number;
  refreshed: number;
  rejected: number;
  received: number;
};

/** The audit entry of a registration request; null when it only refreshed (nothing to audit). */
export function registrationAuditEntry(
  actor: Actor,
  summary: RegistrationAuditSummary,
  now: Date,
  ip: string | null,
  deviceId: number | null,
): AuditEntry | null {
  if (!summary.created && !summary.reactivated) return null;

  return {
    actor: auditActor(actor),
    action: summary.received > 1 ? "device.register-batch" : "device.register",
    targetType: "device",
    targetId: deviceId === null ? null : String(deviceId),
    success: true,
    detail: summary,
    ip,
    at: now,
  };
}

export async function recordDeviceAudit(
  tx: SqlRunner,
  actor: Actor,
  summary: RegistrationAuditSummary,
  now: Date,
  ip: string | null,
  deviceId: number | null,
): Promise<void> {
  const entry = registrationAuditEntry(actor, summary, now, ip, deviceId);
  if (entry) await recordAudit(tx, entry);
}
