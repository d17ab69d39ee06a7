import { authorize, type Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { auditActor, recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db/client";
import type { SqlRunner } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { toDbEnvironment, type DbEnvironment } from "@/lib/validations/device";
import {
  authorId,
  DETAIL_INCLUDE,
  findCampaignRow,
  resolveCampaignApp,
  toCampaignDetail,
  type CampaignDetail,
} from "./campaign-dto";
import {
  CAMPAIGN_NAME_MAX,
  campaignRefSchema,
  createCampaignSchema,
  updateCampaignSchema,
  type CampaignRef,
  type CreateCampaignInput,
  type UpdateCampaignInput,
} from "./campaign-schema";
import { CAMPAIGNS_READ } from "./audience";
import { savedAudienceCount } from "./saved-count";
import { toApiStatus, type CampaignStatus } from "./status";

/**
 * A campaign's drafts: create, edit (drafts only, autosave-friendly), read, duplicate, delete
 * (drafts only). Scheduling and cancelling are in schedule.ts, lists in find-campaigns.ts. Staff
 * need campaigns.write (campaigns.read to read); API keys campaigns:write (campaigns:read).
 */
export const CAMPAIGNS_WRITE = { permission: "campaigns.write", scope: "campaigns:write" } as const;

export type CampaignOptions = { db?: DbTx; sql?: SqlRunner; ip?: string | null };

const audit = (
  tx: DbTx,
  actor: Actor,
  action: string,
  id: string,
  detail: Record<string, unknown>,
  ip?: string | null,
) =>
  recordAudit(tx, {
    actor: auditActor(actor),
    action,
    targetType: "campaign",
    targetId: id,
    success: true,
    detail,
    ip,
  });

type DraftData = {
  appId: string;
  name: string;
  environment: DbEnvironment;
  pushType: string;
  message: string;
  audience: string;
  audienceCount: number | null;
  localTime?: boolean;
  ratePerMinute?: number | null;
};

/** Inserts a draft written by the actor. */
const insertDraft = (tx: DbTx, actor: Actor, data: DraftData) =>
  tx.campaign.create({
    data: { ...data, createdById: authorId(actor), updatedById: authorId(actor) },
    include: DETAIL_INCLUDE,
  });

/** A new draft; its audience is counted now and stored as audienceCount. */
export async function createCampaign(
  actor: Actor,
  raw: CreateCampaignInput,
  options: CampaignOptions = {},
): Promise<CampaignDetail> {
  authorize(actor, CAMPAIGNS_WRITE);
  const input = createCampaignSchema.parse(raw);
  const db = options.db ?? getDb();
  const app = await resolveCampaignApp(db, actor, input.app);
  const environment = input.environment
    ? toDbEnvironment(input.environment)
    : app.defaultEnvironment;
  const audienceCount = await savedAudienceCount(
    { appId: app.id, environment, audience: input.audience },
    options.sql,
  );

  return db.$transaction(async (tx) => {
    const row = await insertDraft(tx, actor, {
      appId: app.id,
      name: input.name,
      environment,
      pushType: input.message.pushType,
      message: JSON.stringify(input.message),
      audience: JSON.stringify(input.audience),
      audienceCount,
    });
    const detail = { name: row.name, app: app.bundleId };
    await audit(tx, actor, "campaign.create", row.id, detail, options.ip);

    return toCampaignDetail(row);
  });
}

const onlyDrafts = (status: string, what: string) =>
  new AppError(
    "CONFLICT",
    `Only drafts can be ${what}: this campaign is ${toApiStatus(status as CampaignStatus)}.`,
  );

/**
 * Changes what is sent of a draft (a partial update: the autosave sends what changed). The audience
 * is recounted when the app, environment or audience changes. CONFLICT for anything but a draft,
 * also when it was scheduled meanwhile (the UPDATE checks the status it changes).
 */
export async function updateCampaign(
  actor: Actor,
  raw: UpdateCampaignInput,
  options: CampaignOptions = {},
): Promise<CampaignDetail> {
  authorize(actor, CAMPAIGNS_WRITE);
  const { id, ...patch } = updateCampaignSchema.parse(raw);
  const db = options.db ?? getDb();
  const current = await findCampaignRow(db, actor, id);
  if (current.status !== "DRAFT") throw onlyDrafts(current.status, "edited");
  const app = patch.app ? await resolveCampaignApp(db, actor, patch.app) : current.app;
  const environment = patch.environment ? toDbEnvironment(patch.environment) : current.environment;
  const audience = patch.audience ?? JSON.parse(current.audience);
  const recount =
    patch.audience !== undefined || app.id !== current.appId || environment !== current.environment;
  const audienceCount = recount
    ? await savedAudienceCount({ appId: app.id, environment, audience }, options.sql)
    : current.audienceCount;

  return db.$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({
      where: { id, status: "DRAFT" },
      data: {
        appId: app.id,
        environment,
        audienceCount,
        updatedById: authorId(actor),
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.message && {
          message: JSON.stringify(patch.message),
          pushType: patch.message.pushType,
        }),
        ...(patch.audience && { audience: JSON.stringify(patch.audience) }),
      },
    });
    if (count === 0) {
      const now = await findCampaignRow(tx, actor, id);
      throw onlyDrafts(now.status, "edited");
    }
    await audit(tx, actor, "campaign.update", id, { fields: Object.keys(patch) }, options.ip);

    return toCampaignDetail(await findCampaignRow(tx, actor, id));
  });
}

/** One campaign with its message, audience and stored audienceCount; NOT_FOUND when out of reach. */
export async function getCampaign(
  actor: Actor,
  raw: CampaignRef,
  options: { db?: DbTx } = {},
): Promise<CampaignDetail> {
  authorize(actor, CAMPAIGNS_READ);
  const { id } = campaignRefSchema.parse(raw);

  return toCampaignDetail(await findCampaignRow(options.db ?? getDb(), actor, id));
}

const copyName = (name: string) => {
  const suffix = " (copy)";

  return name.slice(0, CAMPAIGN_NAME_MAX - suffix.length) + suffix;
};

/** Any campaign, copied as a new draft "<name> (copy)": same app, environment, message and audience. */
export async function duplicateCampaign(
  actor: Actor,
  raw: CampaignRef,
  options: CampaignOptions = {},
): Promise<CampaignDetail> {
  authorize(actor, CAMPAIGNS_WRITE);
  const { id } = campaignRefSchema.parse(raw);

  return (options.db ?? getDb()).$transaction(async (tx) => {
    const source = await findCampaignRow(tx, actor, id);
    const row = await insertDraft(tx, actor, {
      appId: source.appId,
      name: copyName(source.name),
      environment: source.environment,
      pushType: source.pushType,
      message: source.message,
      audience: source.audience,
      audienceCount: source.audienceCount,
      localTime: source.localTime,
      ratePerMinute: source.ratePerMinute,
    });
    const detail = { from: source.id, name: row.name };
    await audit(tx, actor, "campaign.duplicate", row.id, detail, options.ip);

    return toCampaignDetail(row);
  });
}

/** Deletes a draft (a scheduled campaign is unscheduled or cancelled instead: it keeps its history). */
export async function deleteCampaign(
  actor: Actor,
  raw: CampaignRef,
  options: CampaignOptions = {},
): Promise<{ id: string }> {
  authorize(actor, CAMPAIGNS_WRITE);
  const { id } = campaignRefSchema.parse(raw);

  return (options.db ?? getDb()).$transaction(async (tx) => {
    const current = await findCampaignRow(tx, actor, id);
    const { count } = await tx.campaign.deleteMany({ where: { id, status: "DRAFT" } });
    if (count === 0) {
      const now = await tx.campaign.findUnique({ where: { id }, select: { status: true } });
      throw onlyDrafts(now?.status ?? current.status, "deleted");
    }
    await audit(tx, actor, "campaign.delete", id, { name: current.name }, options.ip);

    return { id };
  });
}
