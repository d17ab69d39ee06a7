import { authorize, type Actor } from "@/lib/access/authorize";
import { auditActor, recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { toApiEnvironment } from "@/lib/validations/device";
import type { Audience } from "./audience-schema";
import { findCampaignRow, toCampaignDetail, type CampaignDetail } from "./campaign-dto";
import {
  campaignRefSchema,
  scheduleCampaignSchema,
  type CampaignRef,
  type ScheduleCampaignInput,
} from "./campaign-schema";
import type { CampaignOptions } from "./campaigns";
import type { CampaignMessage } from "./message";
import { lintMessage } from "./message-lint";
import { savedAudienceCount } from "./saved-count";
import { moveCampaign, transition, type CampaignStatus, type CampaignTransition } from "./status";

/**
 * Sending decisions: schedule, unschedule, cancel. Staff need campaigns.send (marketing and admin);
 * API keys campaigns:write. Each is a move of the status table (status.ts), made by one
 * compare-and-set UPDATE with its audit row in one transaction.
 */
export const CAMPAIGNS_SEND = { permission: "campaigns.send", scope: "campaigns:write" } as const;

// A wall-clock time read in each device's zone happens last in UTC−12: until then it is to come
// somewhere.
const LATEST_ZONE_MS = 12 * 3_600_000;

/** The instant stored in scheduledAt; with localTime, the wall-clock time written as if UTC. */
function sendTime(at: string | null, localTime: boolean, now: Date): Date {
  if (at === null) return now;
  const when = new Date(localTime ? `${at.replace(/Z$/i, "")}Z` : at);
  const last = localTime ? when.getTime() + LATEST_ZONE_MS : when.getTime();
  if (Number.isNaN(when.getTime()) || last <= now.getTime())
    throw new AppError(
      "VALIDATION",
      localTime
        ? "That local time has passed in every time zone."
        : "The send time is in the past: choose a later time, or null to send now.",
      { at: ["must be in the future"] },
    );

  return when;
}

/**
 * Schedules a draft: now (`at: null`), at a time, or at a local time per device, with an optional
 * throttle. Refused — VALIDATION, listing them by field — while the message has lint errors, and
 * when the audience is empty (it is recounted now and stored). The move also fails when the draft
 * was edited after it was checked here, so what was checked is what is scheduled.
 */
export async function scheduleCampaign(
  actor: Actor,
  raw: ScheduleCampaignInput,
  options: CampaignOptions & { now?: Date } = {},
): Promise<CampaignDetail> {
  authorize(actor, CAMPAIGNS_SEND);
  const input = scheduleCampaignSchema.parse(raw);
  const db = options.db ?? getDb();
  const now = options.now ?? new Date();
  const row = await findCampaignRow(db, actor, input.id);
  transition({ status: row.status as CampaignStatus }, "schedule");

  const message = JSON.parse(row.message) as CampaignMessage;
  const { errors } = lintMessage(message, { bundleId: row.app.bundleId, now });
  if (errors.length) {
    const fieldErrors: Record<string, string[]> = {};
    for (const e of errors) (fieldErrors[`message.${e.path}`] ??= []).push(e.message);
    throw new AppError(
      "VALIDATION",
      `A campaign with errors cannot be scheduled: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
      fieldErrors,
    );
  }
  const scheduledAt = sendTime(input.at, input.localTime, now);
  const audienceCount = await savedAudienceCount(
    {
      appId: row.appId,
      environment: row.environment,
      audience: JSON.parse(row.audience) as Audience,
    },
    options.sql,
  );
  if (audienceCount === 0)
    throw new AppError(
      "VALIDATION",
      `The audience is empty: no active ${toApiEnvironment(row.environment)} device of ${row.app.bundleId} matches it.`,
      { audience: ["No active device matches this audience"] },
    );

  return db.$transaction(async (tx) => {
    await moveCampaign(tx, row.id, "schedule", {
      where: { updatedAt: row.updatedAt },
      data: {
        scheduledAt,
        localTime: input.localTime,
        ratePerMinute: input.ratePerMinute,
        audienceCount,
        updatedById: actor.kind === "user" ? actor.id : null,
      },
    });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "campaign.schedule",
      targetType: "campaign",
      targetId: row.id,
      success: true,
      detail: {
        at: scheduledAt.toISOString(),
        localTime: input.localTime,
        ratePerMinute: input.ratePerMinute,
        audienceCount,
      },
      ip: options.ip,
    });

    return toCampaignDetail(await findCampaignRow(tx, actor, row.id));
  });
}

async function move(
  actor: Actor,
  raw: CampaignRef,
  name: CampaignTransition,
  data: Record<string, unknown>,
  options: CampaignOptions,
): Promise<CampaignDetail> {
  authorize(actor, CAMPAIGNS_SEND);
  const { id } = campaignRefSchema.parse(raw);

  return (options.db ?? getDb()).$transaction(async (tx) => {
    const row = await findCampaignRow(tx, actor, id);
    await moveCampaign(tx, id, name, { data });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: `campaign.${name}`,
      targetType: "campaign",
      targetId: id,
      success: true,
      detail: { from: row.status.toLowerCase() },
      ip: options.ip,
    });

    return toCampaignDetail(await findCampaignRow(tx, actor, id));
  });
}

/** A scheduled campaign back to an editable draft (its send time is cleared). */
export function unscheduleCampaign(actor: Actor, raw: CampaignRef, options: CampaignOptions = {}) {
  return move(actor, raw, "unschedule", { scheduledAt: null }, options);
}

/** Stops a scheduled, sending or paused campaign for good (dispatch sends nothing more). */
export function cancelCampaign(actor: Actor, raw: CampaignRef, options: CampaignOptions = {}) {
  return move(actor, raw, "cancel", { completedAt: new Date() }, options);
}
