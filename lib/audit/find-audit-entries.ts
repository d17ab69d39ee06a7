import { z } from "zod";
import { authorize, type Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { getDb } from "@/lib/db/client";

export const AUDIT_PAGE_SIZE_MAX = 200;

export const auditSearchSchema = z.object({
  /** 1-based; past the last page means the last page. */
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(AUDIT_PAGE_SIZE_MAX).default(50),
});
export type AuditSearch = z.input<typeof auditSearchSchema>;

export type AuditLogEntry = {
  id: number;
  createdAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  success: boolean;
  detail: string | null;
  ip: string | null;
};

/** Admin → Audit log: newest first, a page at a time (audit.read). */
export async function findAuditEntries(
  actor: Actor,
  search: AuditSearch = {},
  options: { db?: DbTx } = {},
): Promise<{ entries: AuditLogEntry[]; page: number; pageSize: number; total: number }> {
  authorize(actor, { permission: "audit.read" });
  const { pageSize, ...input } = auditSearchSchema.parse(search);
  const db = options.db ?? getDb();
  const total = await db.auditLog.count();
  const page = Math.min(input.page, Math.max(1, Math.ceil(total / pageSize)));
  const entries = await db.auditLog.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * pageSize,
    take: pageSize,
  });

  return { entries, page, pageSize, total };
}
