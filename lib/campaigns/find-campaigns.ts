import { authorize, type Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { getDb, getDbConfig } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { CAMPAIGNS_READ } from "./audience";
import {
  campaignScope,
  SUMMARY_INCLUDE,
  toCampaignSummary,
  type CampaignSummary,
} from "./campaign-dto";
import { findCampaignsSchema, type FindCampaignsInput } from "./campaign-schema";
import { toDbStatus } from "./status";

export type CampaignPage = { campaigns: CampaignSummary[]; nextCursor: string | null };

const encodeCursor = (row: { createdAt: Date; id: string }) =>
  `${row.createdAt.getTime().toString(36)}_${row.id}`;

function decodeCursor(cursor: string) {
  const [time, id] = cursor.split("_");
  const createdAt = new Date(parseInt(time, 36));
  if (Number.isNaN(createdAt.getTime()))
    throw new AppError("VALIDATION", "cursor is not one this list returned", {
      cursor: ["Use nextCursor from the previous page"],
    });

  return { createdAt, id };
}

/**
 * The campaigns list: newest first by (createdAt, id) — a key that never changes, so pages neither
 * skip nor repeat rows while drafts autosave — filtered by status, app (bundle id) and a name
 * search, served by the (createdAt, id), (appId, createdAt, id) and (status, createdAt, id) indexes.
 */
export async function findCampaigns(
  actor: Actor,
  raw: FindCampaignsInput = {},
  options: { db?: DbTx } = {},
): Promise<CampaignPage> {
  authorize(actor, CAMPAIGNS_READ);
  const q = findCampaignsSchema.parse(raw);
  const db = options.db ?? getDb();
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  // PostgreSQL's LIKE is case-sensitive; SQLite's already ignores ASCII case.
  const insensitive: object =
    getDbConfig().provider === "postgresql" ? { mode: "insensitive" } : {};
  const rows = await db.campaign.findMany({
    where: {
      ...campaignScope(actor),
      ...(q.status && { status: toDbStatus(q.status) }),
      ...(q.app && { app: { bundleId: q.app } }),
      ...(q.search && { name: { contains: q.search, ...insensitive } }),
      ...(after && {
        OR: [
          { createdAt: { lt: after.createdAt } },
          { createdAt: after.createdAt, id: { lt: after.id } },
        ],
      }),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    include: SUMMARY_INCLUDE,
  });
  const page = rows.slice(0, q.limit);

  return {
    campaigns: page.map(toCampaignSummary),
    nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1)!) : null,
  };
}
