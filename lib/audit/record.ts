import type { Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { sqlDate, type SqlRunner } from "@/lib/db/sql";

export type AuditActor =
  | { type: "USER"; id: string; label: string }
  | { type: "API_KEY"; id: string; label: string }
  | { type: "SYSTEM"; label: string };

export type AuditEntry = {
  actor: AuditActor;
  action: string;
  targetType?: string;
  targetId?: string | null;
  success: boolean;
  detail?: Record<string, unknown>;
  ip?: string | null;
  /** When it happened; default now. */
  at?: Date;
};

/** The transaction the entry joins: a SQL runner transaction (hot paths) or a Prisma one. */
export type AuditTx = SqlRunner | DbTx;

/** How an actor appears in the audit log. */
export function auditActor(actor: Actor): AuditActor {
  if (actor.kind === "user") return { type: "USER", id: actor.id, label: actor.email };
  if (actor.kind === "api-key")
    return { type: "API_KEY", id: actor.id, label: `api key ${actor.name}` };

  return { type: "SYSTEM", label: actor.label };
}

const COLUMNS = [
  "actorType",
  "actorId",
  "actorLabel",
  "action",
  "targetType",
  "targetId",
  "success",
  "detail",
  "ip",
  "createdAt",
] as const;
const COLUMN_LIST = COLUMNS.map((c) => `"${c}"`).join(", ");
// 10 parameters a row: far below SQLite's 32,766 and PostgreSQL's 65,535 per statement.
const ROWS_PER_STATEMENT = 500;

type AuditRow = {
  actorType: AuditActor["type"];
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  success: boolean;
  detail: string | null;
  ip: string | null;
  createdAt: Date;
};

function toRow(entry: AuditEntry, now: Date): AuditRow {
  return {
    actorType: entry.actor.type,
    actorId: entry.actor.type === "SYSTEM" ? null : entry.actor.id,
    actorLabel: entry.actor.label,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    success: entry.success,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
    ip: entry.ip ?? null,
    createdAt: entry.at ?? now,
  };
}

const isSqlRunner = (tx: AuditTx): tx is SqlRunner => "execute" in tx && "provider" in tx;

function valuesList(rows: number): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++)
    out.push(`(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(", ")})`);

  return out.join(", ");
}

/**
 * The one audit writer (docs/architecture.md, decision 7). Appends the entries in the caller's
 * transaction, as one multi-row INSERT per 500 rows on the SQL runner, or one createMany on a
 * Prisma transaction. It never opens a transaction of its own and never swallows an error: if the
 * audit row cannot be written, the caller's transaction fails with it, and if the caller rolls
 * back, so does the row. Given a bare client instead of a transaction, the entry is one
 * autocommitted statement.
 */
export async function recordAudit(
  tx: AuditTx,
  entries: AuditEntry | readonly AuditEntry[],
): Promise<void> {
  const list = "action" in entries ? [entries] : entries;
  if (!list.length) return;
  const now = new Date();
  const rows = list.map((entry) => toRow(entry, now));
  if (!isSqlRunner(tx)) {
    await tx.auditLog.createMany({ data: rows });

    return;
  }
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const part = rows.slice(start, start + ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    for (const row of part)
      params.push(
        row.actorType,
        row.actorId,
        row.actorLabel,
        row.action,
        row.targetType,
        row.targetId,
        row.success,
        row.detail,
        row.ip,
        sqlDate(tx.provider, row.createdAt),
      );
    await tx.execute(
      `INSERT INTO "AuditLog" (${COLUMN_LIST}) VALUES ${valuesList(part.length)}`,
      params,
    );
  }
}
