import { z } from "zod";
import { authorize, type Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { auditActor, recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { bundleIdSchema } from "@/lib/validations/device";
import { audienceSchema, type Audience } from "./audience-schema";
import { authorId, resolveCampaignApp } from "./campaign-dto";

/**
 * Saved audiences of an app, reused by name in the composer (staff only: the API takes audiences
 * inline). Saving under an existing name of the app replaces that segment.
 */
const WRITE = { permission: "campaigns.write" } as const;
const READ = { permission: "campaigns.read" } as const;

export const SEGMENT_NAME_MAX = 100;
export const saveSegmentSchema = z.strictObject({
  app: bundleIdSchema,
  name: z.string().trim().min(1, "Enter a name").max(SEGMENT_NAME_MAX),
  audience: audienceSchema,
});
export type SaveSegmentInput = z.input<typeof saveSegmentSchema>;

export type SegmentSummary = {
  id: string;
  appId: string;
  name: string;
  audience: Audience;
  createdBy: { id: string; name: string } | null;
  updatedAt: Date;
};

const include = { createdBy: { select: { id: true, name: true } } } as const;
type Row = {
  id: string;
  appId: string;
  name: string;
  audience: string;
  updatedAt: Date;
  createdBy: SegmentSummary["createdBy"];
};
const toSummary = (row: Row): SegmentSummary => ({
  id: row.id,
  appId: row.appId,
  name: row.name,
  audience: JSON.parse(row.audience) as Audience,
  createdBy: row.createdBy,
  updatedAt: row.updatedAt,
});

type Options = { db?: DbTx; ip?: string | null };

export async function saveSegment(
  actor: Actor,
  raw: SaveSegmentInput,
  options: Options = {},
): Promise<SegmentSummary> {
  authorize(actor, WRITE);
  const input = saveSegmentSchema.parse(raw);

  return (options.db ?? getDb()).$transaction(async (tx) => {
    const app = await resolveCampaignApp(tx, actor, input.app);
    const audience = JSON.stringify(input.audience);
    const row = await tx.segment.upsert({
      where: { appId_name: { appId: app.id, name: input.name } },
      create: { appId: app.id, name: input.name, audience, createdById: authorId(actor) },
      update: { audience },
      include,
    });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "segment.save",
      targetType: "segment",
      targetId: row.id,
      success: true,
      detail: { app: app.bundleId, name: row.name },
      ip: options.ip,
    });

    return toSummary(row);
  });
}

/** An app's segments by name. */
export async function findSegments(
  actor: Actor,
  raw: { app: string },
  options: { db?: DbTx } = {},
): Promise<SegmentSummary[]> {
  authorize(actor, READ);
  const app = bundleIdSchema.parse(raw.app);
  const rows = await (options.db ?? getDb()).segment.findMany({
    where: { app: { bundleId: app } },
    orderBy: { name: "asc" },
    include,
  });

  return rows.map(toSummary);
}

export async function deleteSegment(
  actor: Actor,
  raw: { id: string },
  options: Options = {},
): Promise<{ id: string }> {
  authorize(actor, WRITE);
  const id = z.string().min(1).max(64).parse(raw.id);

  return (options.db ?? getDb()).$transaction(async (tx) => {
    const row = await tx.segment.findUnique({ where: { id } });
    if (!row) throw new AppError("NOT_FOUND", `No segment ${id}`);
    await tx.segment.delete({ where: { id } });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "segment.delete",
      targetType: "segment",
      targetId: id,
      success: true,
      detail: { name: row.name },
      ip: options.ip,
    });

    return { id };
  });
}
