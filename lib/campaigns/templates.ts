import { z } from "zod";
import { authorize, type Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { auditActor, recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { authorId } from "./campaign-dto";
import { createCampaignSchema, campaignNameSchema } from "./campaign-schema";
import { createCampaign, type CampaignOptions } from "./campaigns";
import { campaignMessageSchema, type CampaignMessage } from "./message";

/**
 * Messages saved to start campaigns from (staff only). A template holds a message, no app or
 * audience, so one serves every app. Saving under an existing name replaces that template.
 */
const WRITE = { permission: "campaigns.write" } as const;
const READ = { permission: "campaigns.read" } as const;

export const saveTemplateSchema = z.strictObject({
  name: campaignNameSchema,
  message: campaignMessageSchema,
});
export type SaveTemplateInput = z.input<typeof saveTemplateSchema>;

export const createFromTemplateSchema = createCampaignSchema
  .omit({ message: true })
  .extend({ templateId: z.string().min(1).max(64) });
export type CreateFromTemplateInput = z.input<typeof createFromTemplateSchema>;

export type TemplateSummary = {
  id: string;
  name: string;
  pushType: string;
  message: CampaignMessage;
  createdBy: { id: string; name: string } | null;
  updatedAt: Date;
};

const include = { createdBy: { select: { id: true, name: true } } } as const;
const toSummary = (row: {
  id: string;
  name: string;
  pushType: string;
  message: string;
  updatedAt: Date;
  createdBy: TemplateSummary["createdBy"];
}): TemplateSummary => ({
  ...row,
  message: JSON.parse(row.message) as CampaignMessage,
});

type Options = { db?: DbTx; ip?: string | null };

const audit = (
  tx: DbTx,
  actor: Actor,
  action: string,
  id: string,
  name: string,
  ip?: string | null,
) =>
  recordAudit(tx, {
    actor: auditActor(actor),
    action,
    targetType: "template",
    targetId: id,
    success: true,
    detail: { name },
    ip,
  });

export async function saveTemplate(
  actor: Actor,
  raw: SaveTemplateInput,
  options: Options = {},
): Promise<TemplateSummary> {
  authorize(actor, WRITE);
  const input = saveTemplateSchema.parse(raw);
  const data = { pushType: input.message.pushType, message: JSON.stringify(input.message) };

  return (options.db ?? getDb()).$transaction(async (tx) => {
    const row = await tx.messageTemplate.upsert({
      where: { name: input.name },
      create: { name: input.name, ...data, createdById: authorId(actor) },
      update: data,
      include,
    });
    await audit(tx, actor, "template.save", row.id, row.name, options.ip);

    return toSummary(row);
  });
}

export async function findTemplates(
  actor: Actor,
  options: { db?: DbTx } = {},
): Promise<TemplateSummary[]> {
  authorize(actor, READ);
  const rows = await (options.db ?? getDb()).messageTemplate.findMany({
    orderBy: { name: "asc" },
    include,
  });

  return rows.map(toSummary);
}

export async function deleteTemplate(
  actor: Actor,
  raw: { id: string },
  options: Options = {},
): Promise<{ id: string }> {
  authorize(actor, WRITE);
  const id = z.string().min(1).max(64).parse(raw.id);

  return (options.db ?? getDb()).$transaction(async (tx) => {
    const row = await tx.messageTemplate.findUnique({ where: { id } });
    if (!row) throw new AppError("NOT_FOUND", `No template ${id}`);
    await tx.messageTemplate.delete({ where: { id } });
    await audit(tx, actor, "template.delete", id, row.name, options.ip);

    return { id };
  });
}

/** A new draft with the template's message (createCampaign, so it is counted and audited the same). */
export async function createCampaignFromTemplate(
  actor: Actor,
  raw: CreateFromTemplateInput,
  options: CampaignOptions = {},
) {
  authorize(actor, WRITE);
  const { templateId, ...input } = createFromTemplateSchema.parse(raw);
  const template = await (options.db ?? getDb()).messageTemplate.findUnique({
    where: { id: templateId },
  });
  if (!template)
    throw new AppError("NOT_FOUND", `No template ${templateId}`, {
      templateId: ["Unknown template"],
    });

  return createCampaign(actor, { ...input, message: JSON.parse(template.message) }, options);
}
