import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "@/lib/apns/simulator";
import type { StaffPrincipal } from "@/lib/auth/guard";
import { buildCampaignRequest } from "@/lib/campaigns/message-build";
import { campaignMessageSchema, type CampaignMessageInput } from "@/lib/campaigns/message";
import { sendCampaignTest } from "@/lib/campaigns/send-campaign-test";
import { addTestDevice, findTestDevices, removeTestDevice } from "@/lib/campaigns/test-devices";
import { systemActor } from "@/lib/access/authorize";
import { addCredential } from "@/lib/credentials/add-credential";
import { closeSql } from "@/lib/db/sql";
import { loadEnv } from "@/lib/env";
import { tokenKey } from "@/lib/devices/token-key";
import { closeApnsClients } from "@/lib/push/apns-clients";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

// Test devices are each staff member's own; a campaign test goes to them through the real sender
// (HTTP/2 + TLS to the simulator), each device in its locale, recorded as TEST deliveries.
let t: TestDatabase;
let simulator: Awaited<ReturnType<typeof startSimulator>>;
let ana: StaffPrincipal;
let ben: StaffPrincipal;
let appId: string;
let otherAppId: string;
const at = new Date("2026-11-01T00:00:00Z");
const opts = () => ({ db: t.db, sql: t.sql });

async function addDevice(
  token: string,
  extra: {
    locale?: string;
    env?: "SANDBOX" | "PRODUCTION";
    app?: string;
    userId?: string;
    registeredAt?: Date;
    status?: "ACTIVE" | "INVALID";
  } = {},
) {
  return t.db.device.create({
    data: {
      appId: extra.app ?? appId,
      environment: extra.env ?? "SANDBOX",
      token,
      tokenKey: tokenKey(token),
      locale: extra.locale ?? null,
      userId: extra.userId ?? null,
      status: extra.status ?? "ACTIVE",
      firstSeenAt: at,
      lastRegisteredAt: extra.registeredAt ?? at,
      updatedAt: at,
    },
  });
}

async function staff(email: string, role: "MARKETING" | "SUPPORT"): Promise<StaffPrincipal> {
  const user = await t.db.user.create({ data: { email, name: email, role, passwordHash: "x" } });

  return { kind: "user", id: user.id, email, name: email, role };
}

const MESSAGE: CampaignMessageInput = {
  pushType: "alert",
  title: "Spring sale",
  body: "Everything 20% off",
  sound: "default",
  data: { deeplink: "app://sale" },
  localizations: {
    fr: { title: "Soldes", subtitle: "", body: "Tout à -20 %" },
    "fr-CA": { title: "Soldes (CA)", subtitle: "", body: "Tout à -20 % au Canada" },
  },
};

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.config.url; // the provider-token store uses the process-wide runner
  process.env.PUSHDECK_SECRET_KEY = "campaign-test-secret-long-enough-for-the-key-check";
  loadEnv(); // secret-box reads the key through lib/env.ts
  simulator = await startSimulator({ port: 0, mode: "sandbox" });
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  simulator.registerKey({
    keyId: "TESTKEY002",
    teamId: "TESTTEAM02",
    privateKeyPem: pem,
    environment: "both",
  });
  ana = await staff("ana@example.test", "MARKETING");
  ben = await staff("ben@example.test", "MARKETING");
  appId = (await t.db.app.create({ data: { name: "T", bundleId: "com.example.test" } })).id;
  otherAppId = (await t.db.app.create({ data: { name: "O", bundleId: "com.example.other" } })).id;
  await addCredential(
    systemActor("test"),
    {
      kind: "TOKEN",
      appId,
      scope: "BOTH",
      keyId: "TESTKEY002",
      teamId: "TESTTEAM02",
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

describe(`test devices and campaign test sends on ${testProvider()}`, () => {
  it("keeps each staff member's own list, by id or token, audited", async () => {
    const phone = await addDevice("a1".repeat(32), { locale: "fr_CA" });
    const added = await addTestDevice(
      ana,
      { token: phone.token.toUpperCase(), label: "Ana's iPhone" },
      opts(),
    );
    expect(added).toMatchObject({
      deviceId: phone.id,
      label: "Ana's iPhone",
      environment: "sandbox",
      tokenMasked: true,
    });
    expect(added.token).not.toBe(phone.token); // marketing sees masked tokens
    expect((await findTestDevices(ana, opts())).map((d) => d.deviceId)).toEqual([phone.id]);
    expect(await findTestDevices(ben, opts())).toEqual([]);
    await addTestDevice(ana, { deviceId: phone.id, label: "renamed" }, opts()); // no duplicate
    expect((await findTestDevices(ana, opts())).map((d) => d.label)).toEqual(["renamed"]);
    await expect(addTestDevice(ana, { token: "ff".repeat(32) }, opts())).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(removeTestDevice(ben, { deviceId: phone.id }, opts())).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const support = await staff("sam@example.test", "SUPPORT");
    await expect(findTestDevices(support, opts())).rejects.toMatchObject({ code: "FORBIDDEN" });
    // The same token in two apps: the token alone does not say which device.
    await addDevice("b2".repeat(32));
    await addDevice("b2".repeat(32), { app: otherAppId });
    await expect(addTestDevice(ana, { token: "b2".repeat(32) }, opts())).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const audit = await t.db.auditLog.findMany({
      where: { actorId: ana.id },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["test-device.add", "test-device.add"]);
  });

  it("adds a user's most recently registered active device by user id", async () => {
    const cleo = await staff("cleo@example.test", "MARKETING");
    const hour = 3_600_000;
    await addDevice("7a".repeat(32), { userId: "cleo-1", registeredAt: new Date(+at - 2 * hour) });
    const latest = await addDevice("7b".repeat(32), {
      userId: "cleo-1",
      registeredAt: new Date(+at - hour),
    });
    await addDevice("7c".repeat(32), { userId: "cleo-1", status: "INVALID" });
    expect(await addTestDevice(cleo, { userId: " cleo-1 " }, opts())).toMatchObject({
      deviceId: latest.id,
    });
    await expect(addTestDevice(cleo, { userId: "nobody" }, opts())).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "No active device registered for user nobody",
    });
    expect((await findTestDevices(cleo, opts())).map((d) => d.deviceId)).toEqual([latest.id]);
  });

  it("sends the message to each test device in its locale and returns APNs' answer", async () => {
    const de = await addDevice("c3".repeat(32), { locale: "de_DE" });
    const fr = await addDevice("d4".repeat(32), { locale: "fr_FR" });
    const gone = await addDevice("e5".repeat(32), { locale: "fr_CA" });
    simulator.markUnregistered(gone.token, at.getTime() + 60_000);
    const production = await addDevice("f6".repeat(32), { env: "PRODUCTION" });
    for (const device of [de, fr, gone, production])
      await addTestDevice(ana, { deviceId: device.id }, opts());
    await addTestDevice(ben, { deviceId: de.id }, opts());
    const before = simulator.recent(100).length;

    const { results } = await sendCampaignTest(
      ana,
      { appId, environment: "sandbox", message: MESSAGE },
      opts(),
    );

    const [phone] = await findTestDevices(ana, opts()).then((list) =>
      list.filter((d) => d.label === "renamed"),
    );
    const byDevice = new Map(results.map((r) => [r.deviceId, r]));
    expect([...byDevice.keys()].sort((a, b) => a - b)).toEqual([
      phone.deviceId,
      de.id,
      fr.id,
      gone.id,
    ]);
    expect(byDevice.get(de.id)).toMatchObject({
      status: 200,
      reason: null,
      locale: null,
      tokenMasked: true,
    });
    expect(byDevice.get(fr.id)).toMatchObject({ status: 200, locale: "fr" });
    expect(byDevice.get(phone.deviceId)).toMatchObject({ status: 200, locale: "fr-CA" });
    expect(byDevice.get(gone.id)).toMatchObject({
      status: 410,
      reason: "Unregistered",
      deviceInvalidated: true,
    });
    const sent = simulator.recent(100).slice(before);
    expect(sent).toHaveLength(4);
    const message = campaignMessageSchema.parse(MESSAGE);
    for (const result of results) {
      const request = sent.find((r) => r.apnsId === result.apnsId)!;
      const device = await t.db.device.findUniqueOrThrow({ where: { id: result.deviceId } });
      // The exact bytes the dispatcher would build for this device's locale.
      const expected = buildCampaignRequest(message, {
        bundleId: "com.example.test",
        locale: device.locale,
        authKind: "token",
      });
      expect(request.payload).toBe(expected.body);
      const delivery = await t.db.delivery.findUniqueOrThrow({ where: { id: result.deliveryId! } });
      expect(delivery).toMatchObject({
        kind: "TEST",
        apnsId: result.apnsId,
        createdById: ana.id,
        payload: expected.body,
      });
      expect(delivery.status).toBe(result.status === 200 ? "ACCEPTED" : "REJECTED");
    }
    expect(
      await t.db.auditLog.count({ where: { action: "campaign.test-send", actorId: ana.id } }),
    ).toBe(4);
    expect((await t.db.device.findUniqueOrThrow({ where: { id: gone.id } })).status).toBe(
      "INVALID",
    );
  });

  it("refuses a message with lint errors, or no test devices, and sends nothing", async () => {
    const deliveries = await t.db.delivery.count();
    await expect(
      sendCampaignTest(
        ana,
        { appId, environment: "sandbox", message: { pushType: "alert", sound: "default" } },
        opts(),
      ),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { "message.body": ["alert pushes need a title or a body"] },
    });
    await expect(
      sendCampaignTest(ben, { appId, environment: "production", message: MESSAGE }, opts()),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    const support = await staff("sue@example.test", "SUPPORT");
    await expect(
      sendCampaignTest(support, { appId, environment: "sandbox", message: MESSAGE }, opts()),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await t.db.delivery.count()).toBe(deliveries);
  });
});
