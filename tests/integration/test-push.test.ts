import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "@/lib/apns/simulator";
import type { StaffPrincipal } from "@/lib/auth/guard";
import { systemActor } from "@/lib/access/authorize";
import { addCredential } from "@/lib/credentials/add-credential";
import { closeApnsClients } from "@/lib/push/apns-clients";
import { closeSql } from "@/lib/db/sql";
import { loadEnv } from "@/lib/env";
import { sendTestPush, type TestPushInput } from "@/lib/push/send-test-push";
import { tokenKey } from "@/lib/devices/token-key";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

// A test push goes through the real sender over HTTP/2 + TLS to the simulator and lands in the
// device's timeline; APNs' 410 invalidates the token only when its timestamp is newer.
let t: TestDatabase;
let simulator: Awaited<ReturnType<typeof startSimulator>>;
let actor: StaffPrincipal;
let appId: string;
const registeredAt = new Date("2026-11-01T00:00:00Z");

async function addDevice(token: string) {
  return t.db.device.create({
    data: {
      appId,
      environment: "SANDBOX",
      token,
      tokenKey: tokenKey(token),
      firstSeenAt: registeredAt,
      lastRegisteredAt: registeredAt,
      updatedAt: registeredAt,
    },
  });
}

const send = (input: TestPushInput) => sendTestPush(actor, input, { db: t.db, sql: t.sql });

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.config.url; // the shared provider-token store uses the process-wide runner
  process.env.PUSHDECK_SECRET_KEY = "test-push-secret-long-enough-for-the-key-check";
  loadEnv(); // secret-box reads the key through lib/env.ts
  simulator = await startSimulator({ port: 0, mode: "sandbox" });
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  simulator.registerKey({
    keyId: "TESTKEY001",
    teamId: "TESTTEAM01",
    privateKeyPem: pem,
    environment: "both",
  });
  const user = await t.db.user.create({
    data: { email: "s@example.test", name: "S", role: "SUPPORT", passwordHash: "x" },
  });
  actor = { kind: "user", id: user.id, email: user.email, name: user.name, role: "SUPPORT" };
  appId = (await t.db.app.create({ data: { name: "T", bundleId: "com.example.test" } })).id;
  await addCredential(
    systemActor("test"),
    {
      kind: "TOKEN",
      appId,
      scope: "BOTH",
      keyId: "TESTKEY001",
      teamId: "TESTTEAM01",
      privateKeyPem: pem,
      endpoint: `127.0.0.1:${simulator.port}`,
      caPem: simulator.caPem,
    },
    { db: t.db },
  );
});

afterAll(async () => {
  await closeApnsClients();
  await closeSql();
  await simulator?.close();
  await t?.drop();
});

describe(`test push on ${testProvider()}`, () => {
  it("is accepted by the simulator and recorded with apns-id and apns-unique-id", async () => {
    const device = await addDevice("a1".repeat(32));
    const result = await send({
      mode: "alert",
      deviceId: device.id,
      title: "Hi",
      body: "Hello from support",
    });
    expect(result.outcome).toMatchObject({ ok: true, status: 200, apnsId: result.apnsId });
    const [recent] = simulator.recent(1);
    expect(recent).toMatchObject({ token: device.token, apnsId: result.apnsId, status: 200 });
    expect(JSON.parse(recent.payload as string)).toEqual({
      aps: { alert: { title: "Hi", body: "Hello from support" }, sound: "default" },
    });
    const delivery = await t.db.delivery.findUniqueOrThrow({ where: { id: result.deliveryId } });
    expect(delivery).toMatchObject({
      kind: "TEST",
      status: "ACCEPTED",
      apnsStatus: 200,
      apnsId: result.apnsId,
      attempts: 1,
      createdById: actor.id,
    });
    expect(delivery.apnsUniqueId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await t.db.providerToken.count()).toBe(1);
    // The outcome and its audit row are one transaction (lib/audit/record.ts).
    expect(
      await t.db.auditLog.findFirst({
        where: { action: "device.test-push", targetId: String(device.id) },
      }),
    ).toMatchObject({ actorType: "USER", actorId: actor.id, success: true });
  });

  it("invalidates the device on 410 Unregistered newer than its registration, and records why", async () => {
    const device = await addDevice("b2".repeat(32));
    const seenDeadAt = registeredAt.getTime() + 86_400_000;
    simulator.markUnregistered(device.token, seenDeadAt);
    const result = await send({
      mode: "alert",
      deviceId: device.id,
      body: "Are you there?",
    });
    expect(result.outcome).toMatchObject({
      ok: false,
      status: 410,
      reason: "Unregistered",
      timestamp: seenDeadAt,
    });
    expect(result.deviceInvalidated).toBe(true);
    const after = await t.db.device.findUniqueOrThrow({
      where: { id: device.id },
      include: { events: true },
    });
    expect(after).toMatchObject({ status: "INVALID", invalidReason: "Unregistered" });
    expect(after.invalidatedAt?.getTime()).toBe(seenDeadAt);
    expect(after.events.map((e) => e.kind)).toEqual(["INVALIDATED"]);
    expect(
      await t.db.delivery.findUniqueOrThrow({ where: { id: result.deliveryId } }),
    ).toMatchObject({ status: "REJECTED", apnsStatus: 410, reason: "Unregistered" });
  });

  it("keeps the device active when APNs' verdict predates the latest registration (a reinstall)", async () => {
    const device = await addDevice("c3".repeat(32));
    simulator.markUnregistered(device.token, registeredAt.getTime() - 60_000);
    const result = await send({
      mode: "alert",
      deviceId: device.id,
      body: "Still there",
    });
    expect(result.outcome).toMatchObject({ ok: false, status: 410, reason: "Unregistered" });
    expect(result.deviceInvalidated).toBe(false);
    expect((await t.db.device.findUniqueOrThrow({ where: { id: device.id } })).status).toBe(
      "ACTIVE",
    );
  });

  it("sends raw JSON exactly as given, and refuses bad JSON without recording anything", async () => {
    const device = await addDevice("d4".repeat(32));
    const json = '{"aps":{"alert":"raw ✓"},"deal":42}';
    const result = await send({ mode: "json", deviceId: device.id, json });
    expect(result.outcome.ok).toBe(true);
    expect(simulator.recent(1)[0].payload).toBe(json);
    const before = await t.db.delivery.count();
    await expect(send({ mode: "json", deviceId: device.id, json: "{nope" })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    await expect(
      send({ mode: "json", deviceId: device.id, json: '{"x":1}' }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    expect(await t.db.delivery.count()).toBe(before);
  });
});
