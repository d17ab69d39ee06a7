import type { Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { auditActor, recordAudit } from "@/lib/audit/record";
import { moveCampaign, type CampaignTransition } from "@/lib/campaigns/status";
import type { SqlRunner } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";

// Rows still to send: queued, being sent, or deferred to later (docs/dispatch.md "Completion").
const PENDING = `"status" IN ('QUEUED', 'SENDING', 'DEFERRED')`;

/**
 * Completes a sending campaign once every one of its deliveries has an outcome and its audience is
 * fully materialized (complete: sending → completed, with its audit row). Several workers may ask
 * at once: the status move is a compare-and-set, the losers see CONFLICT and let it be. Returns
 * whether this call completed it.
 */
export async function completeIfDone(
  db: DbTx,
  sql: SqlRunner,
  actor: Actor,
  campaignId: string,
  now = new Date(),
): Promise<boolean> {
  const [pending] = await sql.query(
    `SELECT 1 AS "one" FROM "Delivery" WHERE "campaignId" = $1 AND ${PENDING} LIMIT 1`,
    [campaignId],
  );
  if (pending) return false;
  const counts = await sql.query<{ status: string; n: number | string }>(
    `SELECT "status", count(*) AS "n" FROM "Delivery" WHERE "campaignId" = $1 GROUP BY "status"`,
    [campaignId],
  );

  return moveQuietly(db, actor, campaignId, "complete", {
    where: { materializedAt: { not: null } },
    data: { completedAt: now },
    detail: Object.fromEntries(counts.map((c) => [c.status.toLowerCase(), Number(c.n)])),
  });
}

/**
 * Pauses a sending campaign on dispatch's own decision (the credential was refused), with the
 * reason shown to staff (Campaign.pausedReason). Returns whether this call paused it.
 */
export async function pauseCampaign(
  db: DbTx,
  actor: Actor,
  campaignId: string,
  reason: string,
): Promise<boolean> {
  return moveQuietly(db, actor, campaignId, "pause", {
    data: { pausedReason: reason },
    detail: { reason },
  });
}

async function moveQuietly(
  db: DbTx,
  actor: Actor,
  id: string,
  name: CampaignTransition,
  options: {
    where?: Record<string, unknown>;
    data: Record<string, unknown>;
    detail: Record<string, unknown>;
  },
): Promise<boolean> {
  try {
    await db.$transaction(async (tx) => {
      await moveCampaign(tx, id, name, { where: options.where, data: options.data });
      await recordAudit(tx, {
        actor: auditActor(actor),
        action: `campaign.${name}`,
        targetType: "campaign",
        targetId: id,
        success: true,
        detail: options.detail,
      });
    });

    return true;
  } catch (error) {
    // Someone else moved it first (another worker, or staff pausing or cancelling).
    if (error instanceof AppError && error.code === "CONFLICT") return false;
    throw error;
  }
}
