import type { DbTx } from "@/lib/access/db-handle";
import { AppError } from "@/lib/errors";

/**
 * The life of a campaign as one table (docs/campaigns.md, docs/architecture.md "The lifecycle of a
 * campaign"): each named transition, the states it leaves from and the state it reaches. Only
 * `moveCampaign` changes Campaign.status, by a compare-and-set UPDATE … WHERE status IN (from), so
 * of two concurrent moves (a cancel and dispatch's start, say) exactly one wins, whoever calls.
 */
export const CAMPAIGN_STATUSES = [
  "DRAFT",
  "SCHEDULED",
  "SENDING",
  "PAUSED",
  "COMPLETED",
  "CANCELLED",
  "FAILED",
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** How the API and the pages spell a status: `draft`, `scheduled`… */
export const API_CAMPAIGN_STATUSES = CAMPAIGN_STATUSES.map((s) =>
  s.toLowerCase(),
) as Lowercase<CampaignStatus>[];
export type ApiCampaignStatus = Lowercase<CampaignStatus>;
export const toApiStatus = (status: CampaignStatus) => status.toLowerCase() as ApiCampaignStatus;
export const toDbStatus = (status: ApiCampaignStatus) => status.toUpperCase() as CampaignStatus;

export const CAMPAIGN_TRANSITIONS = {
  /** Given a send time (now, later, or a local time per device). */
  schedule: { from: ["DRAFT"], to: "SCHEDULED", done: "scheduled" },
  /** Back to an editable draft before it starts. */
  unschedule: { from: ["SCHEDULED"], to: "DRAFT", done: "unscheduled" },
  /** Dispatch: the send time arrived and the audience became deliveries. */
  start: { from: ["SCHEDULED"], to: "SENDING", done: "started" },
  /** Staff, or dispatch (docs/architecture.md "Many at once"). */
  pause: { from: ["SCHEDULED", "SENDING"], to: "PAUSED", done: "paused" },
  resume: { from: ["PAUSED"], to: "SENDING", done: "resumed" },
  /** Dispatch: every delivery has an outcome. */
  complete: { from: ["SENDING"], to: "COMPLETED", done: "completed" },
  /** Staff; a paused campaign may be cancelled too, or it could only ever be resumed. */
  cancel: { from: ["SCHEDULED", "SENDING", "PAUSED"], to: "CANCELLED", done: "cancelled" },
  /** Dispatch: APNs refused the campaign's credential. */
  fail: { from: ["SENDING"], to: "FAILED", done: "marked failed" },
} as const satisfies Record<
  string,
  { from: readonly CampaignStatus[]; to: CampaignStatus; done: string }
>;
export type CampaignTransition = keyof typeof CAMPAIGN_TRANSITIONS;
export const TRANSITION_NAMES = Object.keys(CAMPAIGN_TRANSITIONS) as CampaignTransition[];

const article = (word: string) => (/^[aeiou]/.test(word) ? "An" : "A");
const list = (words: string[]) =>
  words.length > 1 ? `${words.slice(0, -1).join(", ")} or ${words.at(-1)}` : words[0];

export function canTransition(status: CampaignStatus, name: CampaignTransition): boolean {
  return (CAMPAIGN_TRANSITIONS[name].from as readonly CampaignStatus[]).includes(status);
}

/**
 * The state `name` reaches from the campaign's status, or CONFLICT in words: "A completed campaign
 * cannot be scheduled: only a draft one can."
 */
export function transition(campaign: { status: CampaignStatus }, name: CampaignTransition) {
  const rule = CAMPAIGN_TRANSITIONS[name];
  if (canTransition(campaign.status, name)) return rule.to;
  const status = toApiStatus(campaign.status);
  const from = list(rule.from.map((s) => toApiStatus(s)));

  throw new AppError(
    "CONFLICT",
    `${article(status)} ${status} campaign cannot be ${rule.done}: only a ${from} one can.`,
  );
}

/**
 * Moves one campaign by `name` in the caller's transaction, with `data` written in the same UPDATE.
 * `where` adds conditions (e.g. "not edited since it was read"). Throws NOT_FOUND, CONFLICT for an
 * illegal move (also one made illegal by a concurrent move), or CONFLICT when `where` no longer
 * holds. A transaction-scoped primitive: the caller authorizes and audits.
 */
export async function moveCampaign(
  tx: DbTx,
  id: string,
  name: CampaignTransition,
  options: { data?: Record<string, unknown>; where?: Record<string, unknown> } = {},
): Promise<CampaignStatus> {
  const rule = CAMPAIGN_TRANSITIONS[name];
  const { count } = await tx.campaign.updateMany({
    where: { ...options.where, id, status: { in: [...rule.from] } },
    data: { ...options.data, status: rule.to },
  });
  if (count === 1) return rule.to;
  const current = await tx.campaign.findUnique({ where: { id }, select: { status: true } });
  if (!current) throw new AppError("NOT_FOUND", `No campaign ${id}`);
  transition(current, name);

  throw new AppError(
    "CONFLICT",
    "The campaign changed while this was being done; reload it and try again.",
  );
}
