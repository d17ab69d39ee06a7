import type { DbTx } from "@/lib/access/db-handle";
import type { Actor } from "@/lib/access/authorize";
import { restrictedAppId } from "@/lib/devices/device-access";
import { AppError } from "@/lib/errors";
import { toApiEnvironment, type ApiEnvironment } from "@/lib/validations/device";
import type { Audience } from "./audience-schema";
import type { CampaignMessage } from "./message";
import { toApiStatus, type ApiCampaignStatus, type CampaignStatus } from "./status";

/** A campaign as the list shows it: no message or audience. Dates as Date (JSON turns them to ISO). */
export type CampaignSummary = {
  id: string;
  name: string;
  app: { id: string; bundleId: string; name: string };
  environment: ApiEnvironment;
  status: ApiCampaignStatus;
  pushType: string;
  /** The audience's size when the campaign was last saved or scheduled. */
  audienceCount: number | null;
  scheduledAt: Date | null;
  localTime: boolean;
  ratePerMinute: number | null;
  createdBy: { id: string; name: string; email: string } | null;
  createdAt: Date;
  updatedAt: Date;
};

export type CampaignDetail = CampaignSummary & {
  message: CampaignMessage;
  audience: Audience;
  updatedBy: { id: string; name: string; email: string } | null;
  /** Dispatch's figures (next issue): deliveries made, when it started and ended, why it paused. */
  totalCount: number;
  startedAt: Date | null;
  completedAt: Date | null;
  pausedReason: string | null;
};

const person = { select: { id: true, name: true, email: true } } as const;
export const SUMMARY_INCLUDE = {
  app: { select: { id: true, bundleId: true, name: true } },
  createdBy: person,
} as const;
export const DETAIL_INCLUDE = { ...SUMMARY_INCLUDE, updatedBy: person } as const;

type Person = CampaignSummary["createdBy"];
type Row = {
  id: string;
  name: string;
  status: string;
  environment: string;
  pushType: string;
  message: string;
  audience: string;
  audienceCount: number | null;
  scheduledAt: Date | null;
  localTime: boolean;
  ratePerMinute: number | null;
  totalCount: number;
  startedAt: Date | null;
  completedAt: Date | null;
  pausedReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  app: CampaignSummary["app"];
  createdBy: Person;
  updatedBy?: Person;
};

export function toCampaignSummary(row: Omit<Row, "message" | "audience">): CampaignSummary {
  return {
    id: row.id,
    name: row.name,
    app: row.app,
    environment: toApiEnvironment(row.environment),
    status: toApiStatus(row.status as CampaignStatus),
    pushType: row.pushType,
    audienceCount: row.audienceCount,
    scheduledAt: row.scheduledAt,
    localTime: row.localTime,
    ratePerMinute: row.ratePerMinute,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toCampaignDetail(row: Row): CampaignDetail {
  return {
    ...toCampaignSummary(row),
    message: JSON.parse(row.message) as CampaignMessage,
    audience: JSON.parse(row.audience) as Audience,
    updatedBy: row.updatedBy ?? null,
    totalCount: row.totalCount,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    pausedReason: row.pausedReason,
  };
}

/** Who wrote it, for createdById/updatedById: staff only (keys and SYSTEM are in the audit log). */
export const authorId = (actor: Actor) => (actor.kind === "user" ? actor.id : null);

/** Rows an API key bound to one app may reach (docs/data-access.md, restrictedAppId). */
export function campaignScope(actor: Actor): { appId?: string } {
  const only = restrictedAppId(actor);

  return only ? { appId: only } : {};
}

/** The app by bundle id, within the caller's reach; VALIDATION naming the `app` field otherwise. */
export async function resolveCampaignApp(tx: DbTx, actor: Actor, bundleId: string) {
  const app = await tx.app.findUnique({
    where: { bundleId },
    select: { id: true, bundleId: true, name: true, defaultEnvironment: true, archivedAt: true },
  });
  const only = restrictedAppId(actor);
  if (!app || (only && app.id !== only))
    throw new AppError("VALIDATION", `No app with bundle id ${bundleId}`, {
      app: ["Unknown app"],
    });
  if (app.archivedAt)
    throw new AppError("VALIDATION", `The app ${bundleId} is archived`, {
      app: ["This app is archived"],
    });

  return app;
}

/** The campaign within the caller's reach, or NOT_FOUND. */
export async function findCampaignRow(tx: DbTx, actor: Actor, id: string) {
  const row = await tx.campaign.findFirst({
    where: { id, ...campaignScope(actor) },
    include: DETAIL_INCLUDE,
  });
  if (!row) throw new AppError("NOT_FOUND", `No campaign ${id}`);

  return row;
}
