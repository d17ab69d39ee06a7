import { randomUUID } from "node:crypto";
import { z } from "zod";
import { authorize, type Actor } from "@/lib/access/authorize";
import { findSendingCredential } from "@/lib/credentials/load-credential";
import { getDb, type Db } from "@/lib/db/client";
import { getSql, type SqlRunner } from "@/lib/db/sql";
import { visibleToken } from "@/lib/devices/device-access";
import { AppError } from "@/lib/errors";
import { deliverTest } from "@/lib/push/deliver-test";
import { environmentSchema, toDbEnvironment } from "@/lib/validations/device";
import { buildCampaignRequest } from "./message-build";
import { campaignMessageSchema } from "./message";
import { lintMessage } from "./message-lint";

/**
 * "Test before sending": the composer's current message to each of the actor's own test devices
 * of the app and environment, without a campaign. Each device gets the request the dispatcher
 * would build for its locale (buildCampaignRequest), through the support test push's path
 * (lib/push/deliver-test.ts): a TEST delivery in the device's timeline, APNs' answer, an audit row.
 * Opens its own writes: none may stay open across a send.
 */
export const campaignTestSchema = z.strictObject({
  appId: z.string().min(1).max(64),
  environment: environmentSchema,
  message: campaignMessageSchema,
});
export type CampaignTestInput = z.input<typeof campaignTestSchema>;

export type CampaignTestResult = {
  deviceId: number;
  label: string | null;
  token: string;
  tokenMasked: boolean;
  /** The localization sent (null: the default text). */
  locale: string | null;
  deliveryId: number | null;
  apnsId: string;
  /** APNs' HTTP status; 0 when APNs never answered (reason says why). */
  status: number;
  reason: string | null;
  apnsUniqueId: string | null;
  deviceInvalidated: boolean;
};

export async function sendCampaignTest(
  actor: Actor,
  raw: CampaignTestInput,
  options: { db?: Db; sql?: SqlRunner } = {},
): Promise<{ results: CampaignTestResult[] }> {
  authorize(actor, { permission: "campaigns.write" });
  if (actor.kind !== "user")
    throw new AppError("FORBIDDEN", "Test devices belong to a staff member");
  const input = campaignTestSchema.parse(raw);
  const db = options.db ?? getDb();
  const environment = toDbEnvironment(input.environment);
  const app = await db.app.findUnique({ where: { id: input.appId } });
  if (!app) throw new AppError("NOT_FOUND", "No such app");
  const mine = await db.testDevice.findMany({
    where: { userId: actor.id, device: { appId: app.id, environment, status: { not: "REVOKED" } } },
    include: { device: true },
    orderBy: { deviceId: "asc" },
  });
  if (mine.length === 0)
    throw new AppError(
      "VALIDATION",
      `You have no test devices for ${app.bundleId} (${input.environment}); add one first`,
    );
  const credential = await findSendingCredential(db, app.id, environment);
  const authKind = credential.kind === "TOKEN" ? "token" : "certificate";
  const lint = lintMessage(input.message, { bundleId: app.bundleId, authKind });
  if (lint.errors.length)
    throw new AppError(
      "VALIDATION",
      lint.errors.map((e) => e.message).join("; "),
      Object.fromEntries(lint.errors.map((e) => [`message.${e.path}`, [e.message]])),
    );
  const sql = options.sql ?? getSql();
  const results = await Promise.all(
    mine.map(async ({ device, label }): Promise<CampaignTestResult> => {
      const request = buildCampaignRequest(input.message, {
        bundleId: app.bundleId,
        locale: device.locale,
        authKind,
      });
      request.headers["apns-id"] = randomUUID();
      const shown = { deviceId: device.id, label, ...visibleToken(actor, device.token) };
      try {
        const sent = await deliverTest(sql, {
          actor,
          device,
          credential,
          request,
          audit: { action: "campaign.test-send", detail: { locale: request.locale } },
        });
        const { outcome } = sent;

        return {
          ...shown,
          locale: request.locale,
          deliveryId: sent.deliveryId,
          apnsId: sent.apnsId,
          status: outcome.status,
          reason: outcome.ok ? null : outcome.reason,
          apnsUniqueId: outcome.ok ? (outcome.apnsUniqueId ?? null) : null,
          deviceInvalidated: sent.deviceInvalidated,
        };
      } catch (error) {
        // The transport failed (no answer from APNs): the other devices still get theirs.
        return {
          ...shown,
          locale: request.locale,
          deliveryId: null,
          apnsId: request.headers["apns-id"]!,
          status: 0,
          reason: (error as Error).message,
          apnsUniqueId: null,
          deviceInvalidated: false,
        };
      }
    }),
  );

  return { results };
}
