import type { Actor } from "@/lib/access/authorize";
import type { Notification, SendOutcome } from "@/lib/apns";
import { buildCampaignRequest, type CampaignRequest } from "@/lib/campaigns/message-build";
import { messageLocales, resolveLocale } from "@/lib/campaigns/locale";
import type { CampaignMessage } from "@/lib/campaigns/message";
import { findSendingCredential } from "@/lib/credentials/load-credential";
import type { Db } from "@/lib/db/client";
import type { SqlRunner } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { getApnsClient } from "@/lib/push/apns-clients";
import type { ClaimedDelivery } from "./claim";
import { completeIfDone, pauseCampaign } from "./complete";
import { dispositionOf } from "./outcome";
import { recordOutcomes, type OutcomeRow } from "./record";

/**
 * One claimed batch: build each campaign's request once per locale, send every row through the
 * app's APNs client (lib/push/apns-clients.ts: one long-lived pool per credential and environment,
 * the library's retries inside it), then write every outcome back in one transaction and complete
 * the campaigns that have nothing left to send. No transaction stays open across the send.
 */

export type BatchContext = {
  db: Db;
  sql: SqlRunner;
  actor: Actor;
  owner: string;
  now: () => Date;
};

export type BatchResult = {
  sent: number;
  /** Rows by the status written. */
  statuses: Record<string, number>;
  /** Rows not written: the lease was lost to another worker meanwhile. */
  lost: number;
  invalidated: number;
  completed: string[];
  paused: string[];
};

type Campaign = {
  id: string;
  message: CampaignMessage;
  bundleId: string;
  appId: string;
  environment: "SANDBOX" | "PRODUCTION";
};

export async function sendBatch(
  ctx: BatchContext,
  batch: readonly ClaimedDelivery[],
): Promise<BatchResult> {
  const byCampaign = new Map<string, ClaimedDelivery[]>();
  for (const row of batch) {
    const list = byCampaign.get(row.campaignId);
    if (list) list.push(row);
    else byCampaign.set(row.campaignId, [row]);
  }
  const outcomes: OutcomeRow[] = [];
  const pause = new Map<string, string>();
  let sent = 0;
  for (const [campaignId, rows] of byCampaign) {
    const campaign = await loadCampaign(ctx.db, campaignId);
    let credential;
    try {
      credential = await findSendingCredential(ctx.db, campaign.appId, campaign.environment);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // No credential: nothing can be sent; the rows wait, the campaign pauses with the reason.
      pause.set(campaignId, error.message);
      for (const row of rows) outcomes.push(requeue(row, ctx.now()));
      continue;
    }
    const client = getApnsClient(credential, campaign.environment);
    const sentAt = ctx.now();
    const requests = new Map<string | null, CampaignRequest>();
    const locales = messageLocales(campaign.message);
    const rowOf = new Map<Notification, ClaimedDelivery>();
    const notifications: Notification[] = [];
    for (const row of rows) {
      // The device left service after the campaign started (invalidated by another send, revoked).
      if (row.deviceStatus !== "ACTIVE") {
        outcomes.push({ ...done(row, "CANCELLED", sentAt), reason: "DeviceNotActive" });
        continue;
      }
      const locale = resolveLocale(row.locale, locales);
      let request = requests.get(locale);
      if (!request) {
        request = buildCampaignRequest(campaign.message, {
          bundleId: campaign.bundleId,
          locale,
          authKind: credential.kind === "TOKEN" ? "token" : "certificate",
          sentAt,
        });
        requests.set(locale, request);
      }
      // The row's own apns-id: the same one on every attempt, so APNs' log and ours agree.
      const notification: Notification = {
        deviceToken: row.token,
        headers: { ...request.headers, "apns-id": row.apnsId },
        body: request.bytes,
      };
      rowOf.set(notification, row);
      notifications.push(notification);
    }
    for await (const { notification, outcome } of client.sendMany(notifications)) {
      const row = rowOf.get(notification)!;
      sent++;
      const row2 = outcomeRow(row, outcome, ctx.now());
      if (row2.status === "QUEUED" && !outcome.ok && outcome.action === "fix-credential")
        pause.set(campaignId, `APNs refused the credential: ${outcome.reason}`);
      outcomes.push(row2);
    }
  }
  const now = ctx.now();
  const { written, invalidated } = await ctx.sql.transaction((tx) =>
    recordOutcomes(tx, ctx.owner, outcomes, now),
  );
  const statuses: Record<string, number> = {};
  for (const o of outcomes)
    if (written.has(o.id)) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
  const paused: string[] = [];
  for (const [campaignId, reason] of pause)
    if (await pauseCampaign(ctx.db, ctx.actor, campaignId, reason)) paused.push(campaignId);
  const completed: string[] = [];
  for (const campaignId of byCampaign.keys())
    if (await completeIfDone(ctx.db, ctx.sql, ctx.actor, campaignId, now))
      completed.push(campaignId);

  return {
    sent,
    statuses,
    lost: outcomes.length - written.size,
    invalidated: invalidated.length,
    completed,
    paused,
  };
}

function done(row: ClaimedDelivery, status: OutcomeRow["status"], at: Date): OutcomeRow {
  return {
    id: row.id,
    deviceId: row.deviceId,
    status,
    apnsStatus: null,
    reason: null,
    apnsUniqueId: null,
    possibleDuplicate: false,
    availableAt: null,
    sentAt: null,
    completedAt: at,
  };
}

function requeue(row: ClaimedDelivery, at: Date): OutcomeRow {
  return { ...done(row, "QUEUED", at), availableAt: at, completedAt: null };
}

/** A send's outcome as the row's new state (outcome.ts decides). */
export function outcomeRow(row: ClaimedDelivery, outcome: SendOutcome, now: Date): OutcomeRow {
  const d = dispositionOf(outcome, row.attempts, now);
  const final = d.status === "ACCEPTED" || d.status === "REJECTED" || d.status === "FAILED";

  return {
    id: row.id,
    deviceId: row.deviceId,
    status: d.status,
    apnsStatus: outcome.status || null,
    reason: outcome.ok ? null : outcome.reason,
    apnsUniqueId: outcome.ok ? (outcome.apnsUniqueId ?? null) : null,
    possibleDuplicate: outcome.possibleDuplicate === true,
    availableAt: d.availableAt,
    // A request that reached APNs (an HTTP answer) was sent; a transport failure may not have been.
    sentAt: outcome.status ? now : null,
    completedAt: final ? now : null,
    ...(d.invalidate && !outcome.ok ? { invalidate: outcome } : {}),
  };
}

// A campaign's message never changes once it is scheduled (only drafts are edited), so each
// worker reads it once.
const campaigns = new Map<string, Campaign>();

async function loadCampaign(db: Db, id: string): Promise<Campaign> {
  const cached = campaigns.get(id);
  if (cached) return cached;
  const row = await db.campaign.findUniqueOrThrow({
    where: { id },
    select: {
      id: true,
      message: true,
      appId: true,
      environment: true,
      app: { select: { bundleId: true } },
    },
  });
  const campaign: Campaign = {
    id: row.id,
    message: JSON.parse(row.message) as CampaignMessage,
    appId: row.appId,
    environment: row.environment,
    bundleId: row.app.bundleId,
  };
  if (campaigns.size > 1000) campaigns.clear();
  campaigns.set(id, campaign);

  return campaign;
}
