import { randomUUID } from "node:crypto";
import { z } from "zod";
import { authorize, type Actor } from "@/lib/access/authorize";
import { buildNotification, hasErrors, validateRequest } from "@/lib/apns";
import { findSendingCredential } from "@/lib/credentials/load-credential";
import { getDb, type Db } from "@/lib/db/client";
import { getSql, type SqlRunner } from "@/lib/db/sql";
import { restrictedAppId } from "@/lib/devices";
import { AppError } from "@/lib/errors";
import { deliverTest, type TestDeliveryResult } from "./deliver-test";

export const testPushSchema = z.discriminatedUnion("mode", [
  z.strictObject({
    mode: z.literal("alert"),
    deviceId: z.coerce.number().int().positive(),
    title: z.string().trim().max(200).default(""),
    body: z.string().trim().min(1, "Enter the text of the notification").max(2000),
  }),
  z.strictObject({
    mode: z.literal("json"),
    deviceId: z.coerce.number().int().positive(),
    json: z.string().min(2, "Paste a JSON payload").max(8000),
  }),
]);
export type TestPushInput = z.input<typeof testPushSchema>;

export type TestPushResult = TestDeliveryResult;

function requestFor(input: z.output<typeof testPushSchema>, bundleId: string) {
  if (input.mode === "alert") {
    const alert = input.title ? { title: input.title, body: input.body } : { body: input.body };

    return buildNotification(
      { pushType: "alert", bundleId, apnsId: randomUUID(), aps: { alert, sound: "default" } },
      { auth: "token" },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.json);
  } catch (error) {
    throw new AppError("VALIDATION", `The payload is not valid JSON: ${(error as Error).message}`, {
      json: ["Invalid JSON"],
    });
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed) || !("aps" in parsed)) {
    throw new AppError("VALIDATION", 'The payload must be a JSON object with an "aps" dictionary', {
      json: ['Missing "aps"'],
    });
  }
  // Headers from the same builder as every push; the body is the pasted JSON, byte for byte.
  const { headers } = buildNotification({ pushType: "alert", bundleId, apnsId: randomUUID() });
  const check = validateRequest({ headers, body: input.json });
  const bytes = new TextEncoder().encode(input.json);

  return {
    headers,
    body: input.json,
    bytes,
    size: bytes.length,
    limit: check.limit,
    issues: check.issues,
  };
}

/**
 * Sends one push to one device through the real sender and records it in the device's timeline
 * (devices.test-push). It opens its own transactions rather than joining one: the send is a network
 * call, and no transaction may stay open across it. The delivery row is written before the send;
 * its outcome, any invalidation and the audit row commit together after it, on the SQL runner
 * (Delivery, Device and AuditLog are hot tables: docs/data-access.md).
 */
export async function sendTestPush(
  actor: Actor,
  raw: TestPushInput,
  options: { db?: Db; sql?: SqlRunner } = {},
): Promise<TestPushResult> {
  authorize(actor, { permission: "devices.test-push" });
  const input = testPushSchema.parse(raw);
  const db = options.db ?? getDb();
  const only = restrictedAppId(actor);
  const device = await db.device.findFirst({
    where: { id: input.deviceId, ...(only ? { appId: only } : {}) },
    include: { app: true },
  });
  if (!device) throw new AppError("NOT_FOUND", "No such device");
  if (device.status === "REVOKED")
    throw new AppError("CONFLICT", "This device was revoked; it can't receive pushes");
  const built = requestFor(input, device.app.bundleId);
  const errors = built.issues.filter((issue) => issue.severity === "error");
  if (hasErrors(built.issues)) {
    throw new AppError(
      "VALIDATION",
      errors.map((e) => e.message).join("; "),
      Object.fromEntries(errors.map((e) => [e.field, [e.message]])),
    );
  }
  const credential = await findSendingCredential(db, device.appId, device.environment);

  return deliverTest(options.sql ?? getSql(), {
    actor,
    device,
    credential,
    request: built,
    audit: { action: "device.test-push" },
  });
}
