import type { Actor } from "@/lib/access/authorize";
import type { ApnsHeaders, SendOutcome } from "@/lib/apns";
import { auditActor, recordAudit } from "@/lib/audit/record";
import type { findSendingCredential } from "@/lib/credentials/load-credential";
import type { SqlRunner } from "@/lib/db/sql";
import { applyDeliveryOutcome } from "@/lib/deliveries/apply-outcome";
import { insertDelivery } from "@/lib/deliveries/insert-delivery";
import { getApnsClient } from "./apns-clients";

export type TestDeliveryResult = {
  deliveryId: number;
  apnsId: string;
  outcome: SendOutcome;
  deviceInvalidated: boolean;
};

/**
 * One built request to one device through the real sender, recorded as a TEST delivery in the
 * device's timeline: the path of a support test push (send-test-push.ts) and of a campaign test
 * send (lib/campaigns/send-campaign-test.ts). A primitive: the caller has authorized, found the
 * device and the credential, and built the request with an `apns-id`. It opens its own writes on
 * `sql`, never one transaction across the send (a network call): the delivery row before it, then
 * the outcome, any invalidation and the audit row together (docs/data-access.md).
 */
export async function deliverTest(
  sql: SqlRunner,
  args: {
    actor: Actor;
    device: { id: number; token: string; environment: "SANDBOX" | "PRODUCTION" };
    credential: Awaited<ReturnType<typeof findSendingCredential>>;
    request: { headers: ApnsHeaders; body: string; bytes: Uint8Array };
    audit: { action: string; detail?: Record<string, unknown> };
  },
): Promise<TestDeliveryResult> {
  const { actor, device, request } = args;
  const apnsId = request.headers["apns-id"]!;
  const deliveryId = await insertDelivery(
    sql,
    {
      kind: "TEST",
      deviceId: device.id,
      status: "SENDING",
      apnsId,
      payload: request.body,
      createdById: actor.kind === "user" ? actor.id : null,
    },
    new Date(),
  );
  const outcome = await getApnsClient(args.credential, device.environment).send({
    deviceToken: device.token,
    headers: request.headers,
    body: request.bytes,
  });
  const deviceInvalidated = await sql.transaction(async (tx) => {
    const invalidated = await applyDeliveryOutcome(tx, deliveryId, outcome);
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: args.audit.action,
      targetType: "device",
      targetId: String(device.id),
      success: outcome.ok,
      detail: {
        ...args.audit.detail,
        apnsId,
        status: outcome.status,
        reason: outcome.ok ? undefined : outcome.reason,
        deviceInvalidated: invalidated,
      },
    });

    return invalidated;
  });

  return { deliveryId, apnsId, outcome, deviceInvalidated };
}
