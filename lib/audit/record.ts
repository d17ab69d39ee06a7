import type { Db } from "@/lib/db/client";

export type AuditActor =
  | { type: "USER"; id: string; label: string }
  | { type: "API_KEY"; id: string; label: string }
  | { type: "SYSTEM"; label: string };

export type AuditEntry = {
  actor: AuditActor;
  action: string;
  targetType?: string;
  targetId?: string;
  success: boolean;
  detail?: Record<string, unknown>;
  ip?: string | null;
};

/** Appends to the audit log (architecture.md #7). Never throws: a failed audit write is logged. */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  try {
    await db.auditLog.create({
      data: {
        actorType: entry.actor.type,
        actorId: entry.actor.type === "SYSTEM" ? null : entry.actor.id,
        actorLabel: entry.actor.label,
        action: entry.action,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId ?? null,
        success: entry.success,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
        ip: entry.ip ?? null,
      },
    });
  } catch (error) {
    console.error("audit log write failed", entry.action, error);
  }
}
