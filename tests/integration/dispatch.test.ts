import { generateKeyPairSync, randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { systemActor } from "@/lib/access/authorize";
import { startSimulator } from "@/lib/apns/simulator";
import { buildCampaignRequest } from "@/lib/campaigns/message-build";
import { campaignMessageSchema, type CampaignMessageInput } from "@/lib/campaigns/message";
import { moveCampaign } from "@/lib/campaigns/status";
import { addCredential } from "@/lib/credentials/add-credential";
import { findSendingCredential } from "@/lib/credentials/load-credential";
import { closeSql, toDate } from "@/lib/db/sql";
import { tokenKey } from "@/lib/devices/token-key";
import { registeredDayOf } from "@/lib/devices/upsert-devices";
import { claimBatch } from "@/lib/dispatch/claim";
import { materializeCampaign, startCampaign } from "@/lib/dispatch/materialize";
import { runSchedulerTick } from "@/lib/dispatch/scheduler";
import { startWorker, type Worker } from "@/lib/dispatch/worker";
import { loadEnv } from "@/lib/env";
import { closeApnsClients, getApnsClient } from "@/lib/push/apns-clients";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

// The dispatch engine end to end: campaigns materialized into the outbox, claimed with leases,
// sent through the real sender (HTTP/2 + TLS) to the simulator, outcomes recorded in bulk.
let t: TestDatabase;
let simulator: Awaited<ReturnType<typeof startSimulator>>;
let pem: string;
const SYSTEM = systemActor("test");
const registeredAt = new Date(Date.now() - 86_400_000);
const workers: Worker[] = [];

const MESSAGE: CampaignMessageInput = {
  pushType: "alert",
  title: "Spring sale",
  body: "Everything 20% off",
  localizations: {
    fr: { title: "Soldes", subtitle: "", body: "Tout à -20 %" },
    "fr-CA": { title: "Soldes (CA)", subtitle: "", body: "Tout à -20 % au Canada" },
  },
};
const LOCALES = [null, "en_US", "fr_FR", "fr_CA", "de_DE"];

let apps = 0;
/** An app of its own (so `{ all: true }` is exactly this test's devices), with its credential. */
async function newApp(devices: number, keyId = "DISPATCH01") {
  const bundleId = `com.example.dispatch${++apps}`;
  const app = await t.db.app.create({ data: { name: bundleId, bundleId } });
  await addCredential(
    SYSTEM,
    {
      kind: "TOKEN",
      appId: app.id,
      scope: "BOTH",
      keyId,
      teamId: "DISPATCHT1",
      privateKeyPem: pem,
      endpoint: `127.0.0.1:${simulator.port}`,
      caPem: simulator.caPem,
    },
    { db: t.db },
  );
  const tokens = Array.from({ length: devices }, () => randomBytes(32).toString("hex"));
  await t.db.device.createMany({
    data: tokens.map((token, i) => ({
      appId: app.id,
      environment: "SANDBOX" as const,
      token,
      tokenKey: tokenKey(token),
      locale: LOCALES[i % LOCALES.length],
      firstSeenAt: registeredAt,
      lastRegisteredAt: registeredAt,
      registeredDay: registeredDayOf(registeredAt),
      updatedAt: registeredAt,
    })),
  });

  return { app, tokens };
}

async function newCampaign(
  appId: string,
  extra: { ratePerMinute?: number; message?: CampaignMessageInput } = {},
) {
  return t.db.campaign.create({
    data: {
      appId,
      name: `campaign ${Math.random()}`,
      status: "SCHEDULED",
      environment: "SANDBOX",
      pushType: "alert",
      message: JSON.stringify(campaignMessageSchema.parse(extra.message ?? MESSAGE)),
      audience: JSON.stringify({ all: true }),
      scheduledAt: new Date(Date.now() - 1000),
      ratePerMinute: extra.ratePerMinute ?? null,
    },
  });
}

const opts = () => ({ db: t.db, sql: t.sql });

function worker(owner: string, extra: { leaseMs?: number } = {}) {
  const w = startWorker({
    db: t.db,
    sql: t.sql,
    owner,
    batchSize: 40,
    idleMs: 50,
    tickMs: 100,
    onError: (error) => console.error(owner, error),
    ...extra,
  });
  workers.push(w);

  return w;
}

async function waitForStatus(id: string, status: string, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const row = await t.db.campaign.findUniqueOrThrow({ where: { id } });
    if (row.status === status) return row;
    if (Date.now() > end) throw new Error(`campaign is ${row.status}, not ${status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function countsByStatus(campaignId: string) {
  const rows = await t.db.delivery.groupBy({
    by: ["status"],
    where: { campaignId },
    _count: { _all: true },
  });

  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.config.url; // the provider-token store uses the process-wide runner
  process.env.PUSHDECK_SECRET_KEY = "dispatch-test-secret-long-enough-for-the-key-check";
  loadEnv();
  simulator = await startSimulator({ port: 0, mode: "sandbox" });
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  simulator.registerKey({
    keyId: "DISPATCH01",
    teamId: "DISPATCHT1",
    privateKeyPem: pem,
    environment: "both",
  });
});

beforeEach(() => simulator.resetCounts());
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

afterAll(async () => {
  await closeApnsClients();
  await closeSql();
  await simulator?.close();
  await t?.drop();
});

describe(`dispatch on ${testProvider()}`, () => {
  it("sends a campaign to every device exactly once; counts equal the simulator's; Unregistered tokens are never targeted again", async () => {
    const { app, tokens } = await newApp(300);
    const gone = tokens.slice(0, 6);
    for (const token of gone) simulator.markUnregistered(token, Date.now());
    const campaign = await newCampaign(app.id);

    const tick = await runSchedulerTick({ ...opts(), actor: SYSTEM });
    expect(tick.started).toEqual([campaign.id]);
    const started = await t.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(started).toMatchObject({ status: "SENDING", totalCount: 300 });
    expect(started.materializedAt).not.toBeNull();

    worker("a");
    worker("b");
    const done = await waitForStatus(campaign.id, "COMPLETED");
    expect(done.completedAt).not.toBeNull();

    const sim = simulator.counts();
    expect(sim.received).toBe(300);
    expect(sim.accepted).toBe(294);
    expect(sim.byReason).toEqual({ Unregistered: 6 });
    expect(sim.duplicates).toBe(0);
    for (const token of tokens) expect(simulator.tokenCounts(token).received).toBe(1);
    expect(await countsByStatus(campaign.id)).toEqual({ ACCEPTED: 294, REJECTED: 6 });
    const rejected = await t.db.delivery.findMany({
      where: { campaignId: campaign.id, status: "REJECTED" },
      include: { device: true },
    });
    expect(rejected.map((r) => [r.reason, r.apnsStatus, r.device.status])).toEqual(
      Array(6).fill(["Unregistered", 410, "INVALID"]),
    );
    expect(new Set(rejected.map((r) => r.device.token))).toEqual(new Set(gone));
    const rows = await t.db.delivery.findMany({
      where: { campaignId: campaign.id },
      include: { device: true },
    });
    expect(new Set(rows.map((r) => r.apnsId)).size).toBe(300);
    for (const row of rows) {
      expect(row.sentAt).not.toBeNull();
      expect(row.completedAt).not.toBeNull();
      if (row.status === "ACCEPTED") expect(row.apnsUniqueId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(
      rows.every((r) => r.attempts === 1 && !r.possibleDuplicate && r.leaseOwner === null),
    ).toBe(true);
    // What APNs got is the bytes built for each device's locale, under the row's apns-id.
    const message = campaignMessageSchema.parse(MESSAGE);
    const recent = new Map(simulator.recent(300).map((r) => [r.apnsId, r]));
    for (const row of rows.slice(0, 10)) {
      const expected = buildCampaignRequest(message, {
        bundleId: app.bundleId,
        locale: row.device.locale,
        authKind: "token",
      });
      expect(recent.get(row.apnsId)?.payload).toBe(expected.body);
    }
    const actions = await t.db.auditLog.findMany({
      where: { targetId: campaign.id },
      orderBy: { id: "asc" },
    });
    expect(actions.map((a) => a.action)).toEqual([
      "campaign.start",
      "campaign.materialize",
      "campaign.complete",
    ]);

    // The next campaign leaves the invalidated tokens out.
    const next = await newCampaign(app.id);
    const result = await startCampaign(SYSTEM, { id: next.id }, opts());
    expect(result).toEqual({ inserted: 294, totalCount: 294 });
    await waitForStatus(next.id, "COMPLETED");
    expect(simulator.counts()).toMatchObject({ received: 594, accepted: 588 });
  });

  it("materializes once: a run cut short continues, concurrent runs insert nothing twice, the throttle spaces the rows", async () => {
    const { app } = await newApp(230);
    const campaign = await newCampaign(app.id);
    const half = await startCampaign(
      SYSTEM,
      { id: campaign.id },
      {
        ...opts(),
        chunkSize: 50,
        maxChunks: 2,
      },
    );
    expect(half).toEqual({ inserted: 100, totalCount: null });
    const cut = await t.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(cut).toMatchObject({ status: "SENDING", materializedAt: null, totalCount: 0 });
    // Two processes resume it at once.
    const [x, y] = await Promise.all([
      materializeCampaign(SYSTEM, campaign.id, { ...opts(), chunkSize: 30 }),
      startCampaign(SYSTEM, { id: campaign.id }, { ...opts(), chunkSize: 40 }),
    ]);
    expect(x.inserted + y.inserted).toBe(130);
    const rows = await t.db.delivery.findMany({ where: { campaignId: campaign.id } });
    expect(rows).toHaveLength(230);
    expect(new Set(rows.map((r) => r.deviceId)).size).toBe(230);
    expect((await t.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).totalCount).toBe(
      230,
    );
    // Once done, it stays done.
    expect(await startCampaign(SYSTEM, { id: campaign.id }, opts()).catch((e) => e.code)).toBe(
      "CONFLICT",
    );

    // 600 a minute: one row every 100 ms from the start, in device order.
    const slow = await newCampaign(app.id, { ratePerMinute: 600 });
    await startCampaign(SYSTEM, { id: slow.id }, { ...opts(), chunkSize: 70 });
    const { startedAt } = await t.db.campaign.findUniqueOrThrow({ where: { id: slow.id } });
    const slots = await t.db.delivery.findMany({
      where: { campaignId: slow.id },
      orderBy: { deviceId: "asc" },
    });
    expect(slots).toHaveLength(230);
    slots.forEach((row, k) =>
      expect(toDate(row.availableAt)!.getTime() - startedAt!.getTime()).toBe(k * 100),
    );
    // Only the first rows are due now.
    await moveCampaign(t.db, campaign.id, "cancel");
    const now = new Date(startedAt!.getTime() + 1050);
    const due = await claimBatch(t.sql, { owner: "probe", limit: 100, leaseMs: 60_000, now });
    expect(due.map((d) => d.id).sort((a, b) => a - b)).toEqual(slots.slice(0, 11).map((s) => s.id));
    await moveCampaign(t.db, slow.id, "cancel");
  });

  it("claims only for sending campaigns: a pause stops claiming, a resume starts again", async () => {
    const { app } = await newApp(30);
    const campaign = await newCampaign(app.id);
    // Starting is a sending decision: support may not, and nothing is written when refused.
    const support = {
      kind: "user",
      id: "u1",
      email: "s@x.test",
      name: "S",
      role: "SUPPORT",
    } as const;
    await expect(startCampaign(support, { id: campaign.id }, opts())).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await t.db.delivery.count({ where: { campaignId: campaign.id } })).toBe(0);
    const marketing = { ...support, role: "MARKETING" } as const;
    await startCampaign(marketing, { id: campaign.id }, opts());
    expect(await t.db.auditLog.count({ where: { targetId: campaign.id, actorId: "u1" } })).toBe(2); // campaign.start and campaign.materialize, by the marketer
    await moveCampaign(t.db, campaign.id, "pause");
    const claim = () => claimBatch(t.sql, { owner: "p", limit: 100, leaseMs: 60_000 });
    expect(await claim()).toEqual([]);
    await moveCampaign(t.db, campaign.id, "resume");
    const batch = await claim();
    expect(batch).toHaveLength(30);
    expect(batch.every((b) => b.attempts === 1 && !b.reclaimed)).toBe(true);
    expect(await claim()).toEqual([]); // all held by "p" now
    await moveCampaign(t.db, campaign.id, "cancel");
  });

  it("a crashed worker's batch is claimed again after its lease: nothing lost, re-sends flagged", async () => {
    const { app, tokens } = await newApp(200);
    const campaign = await newCampaign(app.id);
    await startCampaign(SYSTEM, { id: campaign.id }, opts());
    // The "crashed" worker claims 50 rows with a short lease and gets 20 of them out before dying.
    const held = await claimBatch(t.sql, { owner: "crashed", limit: 50, leaseMs: 400 });
    expect(held).toHaveLength(50);
    const credential = await findSendingCredential(t.db, app.id, "SANDBOX");
    const client = getApnsClient(credential, "SANDBOX");
    const message = campaignMessageSchema.parse(MESSAGE);
    for (const row of held.slice(0, 20)) {
      const request = buildCampaignRequest(message, {
        bundleId: app.bundleId,
        locale: row.locale,
        authKind: "token",
      });
      const outcome = await client.send({
        deviceToken: row.token,
        headers: { ...request.headers, "apns-id": row.apnsId },
        body: request.bytes,
      });
      expect(outcome.ok).toBe(true);
    }

    worker("survivor");
    await waitForStatus(campaign.id, "COMPLETED");

    expect(await countsByStatus(campaign.id)).toEqual({ ACCEPTED: 200 });
    for (const token of tokens) expect(simulator.tokenCounts(token).accepted).toBeGreaterThan(0);
    const sim = simulator.counts();
    expect(sim.accepted).toBe(220);
    expect(sim.duplicates).toBe(20);
    const flagged = await t.db.delivery.findMany({
      where: { campaignId: campaign.id, possibleDuplicate: true },
    });
    // Re-sends are bounded by what was in flight (the crashed batch), and all of them flagged.
    expect(flagged.map((f) => f.id).sort((a, b) => a - b)).toEqual(
      held.map((h) => h.id).sort((a, b) => a - b),
    );
    expect(flagged.every((f) => f.attempts === 2)).toBe(true);
    const flaggedIds = new Set(flagged.map((f) => f.apnsId));
    for (const id of simulator.duplicateIds().ids) expect(flaggedIds.has(id)).toBe(true);
  });

  it("stop() finishes the batch in hand and leaves no lease behind", async () => {
    const { app } = await newApp(120);
    const campaign = await newCampaign(app.id);
    await startCampaign(SYSTEM, { id: campaign.id }, opts());
    const w = startWorker({
      db: t.db,
      sql: t.sql,
      owner: "stopper",
      batchSize: 40,
      idleMs: 50,
      tickMs: 0,
    });
    let batches = 0;
    await new Promise<void>((resolve) => {
      const poll = setInterval(async () => {
        batches = await t.db.delivery.count({
          where: { campaignId: campaign.id, status: { not: "QUEUED" } },
        });
        if (batches > 0) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    await w.stop();
    const leased = await t.db.delivery.count({
      where: { campaignId: campaign.id, status: "SENDING" },
    });
    expect(leased).toBe(0);
    const counts = await countsByStatus(campaign.id);
    expect((counts.ACCEPTED ?? 0) % 40).toBe(0); // whole batches only
    expect(simulator.counts().received).toBe(counts.ACCEPTED);
    await moveCampaign(t.db, campaign.id, "cancel");
  });

  it("a credential APNs refuses pauses the campaign with the reason; nothing is invalidated or lost", async () => {
    const { app } = await newApp(60, "UNKNOWNKEY"); // a key the simulator does not know
    const campaign = await newCampaign(app.id);
    await startCampaign(SYSTEM, { id: campaign.id }, opts());
    worker("refused");
    const paused = await waitForStatus(campaign.id, "PAUSED");
    expect(paused.pausedReason).toBe("APNs refused the credential: InvalidProviderToken");
    await workers.splice(0)[0].stop();
    expect(await countsByStatus(campaign.id)).toEqual({ QUEUED: 60 });
    expect(await t.db.device.count({ where: { appId: app.id, status: "ACTIVE" } })).toBe(60);
    const pauses = await t.db.auditLog.findMany({
      where: { targetId: campaign.id, action: "campaign.pause" },
    });
    expect(pauses).toHaveLength(1);
    expect(pauses[0]).toMatchObject({ actorType: "SYSTEM", actorLabel: "dispatch" });
  });

  it("what APNs cannot take now is deferred by at least 15 minutes, never dropped, and claimed again then", async () => {
    const { app } = await newApp(10);
    // The sender retries a 500 until the notification's own deadline (its expiration), then hands
    // it back undelivered.
    const expiration = new Date(Date.now() + 2_000).toISOString();
    const campaign = await newCampaign(app.id, { message: { ...MESSAGE, expiration } });
    await startCampaign(SYSTEM, { id: campaign.id }, opts());
    simulator.setFaults({ rate500: 1 });
    try {
      const w = worker("deferring", {});
      const end = Date.now() + 20_000;
      while ((await countsByStatus(campaign.id)).DEFERRED !== 10 && Date.now() < end)
        await new Promise((r) => setTimeout(r, 50));
      await w.stop();
    } finally {
      simulator.setFaults({ rate500: 0 });
    }
    const rows = await t.db.delivery.findMany({ where: { campaignId: campaign.id } });
    expect(rows.map((r) => [r.status, r.reason, r.apnsStatus, r.attempts])).toEqual(
      Array(10).fill(["DEFERRED", "InternalServerError", 500, 1]),
    );
    for (const row of rows) {
      expect(row.availableAt.getTime() - row.sentAt!.getTime()).toBeGreaterThanOrEqual(15 * 60_000);
      expect(row.completedAt).toBeNull();
    }
    expect((await t.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe(
      "SENDING",
    );
    const claim = (now: Date) =>
      claimBatch(t.sql, { owner: "later", limit: 100, leaseMs: 60_000, now });
    expect(await claim(new Date(Date.now() + 14 * 60_000))).toEqual([]);
    const again = await claim(new Date(Date.now() + 16 * 60_000));
    expect(again.map((a) => a.attempts)).toEqual(Array(10).fill(2));
    await moveCampaign(t.db, campaign.id, "cancel");
  });
});
