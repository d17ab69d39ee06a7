// The sender against the APNs simulator over real TLS + HTTP/2: outcomes, retries,
// GOAWAY, resets, stream limits, certificate and token auth. Counters on the simulator
// side prove nothing was lost or sent twice.

import { generateKeyPairSync } from "node:crypto";

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { ApnsClient, type ApnsClientOptions } from "./client";
import type { ApnsCredential } from "./credentials";
import type { Notification, NotificationOutcome, SendOutcome } from "./outcome";
import { buildNotification } from "./payload";
import { MemoryProviderTokenStore } from "./provider-token-store";
import { startSimulator, type Simulator } from "./simulator";
import { APNS_TRANSPORTS, type ApnsTransport } from "./transport";
import {
  createOpensslPushCertificate,
  type OpensslPushCertificate,
} from "./simulator/test-helpers";

const BUNDLE = "com.example.app";
const KEY_ID = "KEYSENDER1";
const TEAM_ID = "TEAMSENDER";
const PRIVATE_PEM = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();
const ALERT = buildNotification({ pushType: "alert", bundleId: BUNDLE, aps: { alert: "hi" } });
const FAST_RETRY = { baseDelayMs: 2, maxDelayMs: 100, maxBackoffRetries: 3 };

const token = (i: number) => (i + 1).toString(16).padStart(64, "0");
const notification = (i: number, built = ALERT): Notification => ({
  deviceToken: token(i),
  headers: built.headers,
  body: built.body,
});

let sim: Simulator;
/** The transport of the suite being run (every suite runs once per transport, below). */
let transport: ApnsTransport = "native";
const clients: ApnsClient[] = [];
// Apple (and the simulator) refuse a key's token renewed within 20 minutes, across connections:
// every client of this file shares one token through one store, as the app's workers will.
const tokenStore = new MemoryProviderTokenStore();

function tokenCredential(): ApnsCredential {
  return {
    kind: "token",
    keyId: KEY_ID,
    teamId: TEAM_ID,
    privateKeyPem: PRIVATE_PEM,
    endpoint: { host: "127.0.0.1", port: sim.port },
    caPem: sim.caPem,
  };
}

function client(options: Partial<ApnsClientOptions> = {}): ApnsClient {
  const c = new ApnsClient({
    credential: tokenCredential(),
    environment: "sandbox",
    transport,
    retry: FAST_RETRY,
    tokenStore,
    ...options,
  });
  clients.push(c);

  return c;
}

async function collect(
  iterable: AsyncIterable<NotificationOutcome>,
): Promise<NotificationOutcome[]> {
  const all: NotificationOutcome[] = [];
  for await (const item of iterable) all.push(item);

  return all;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

beforeEach(() => {
  sim.setFaults({
    latencyMs: 0,
    rate429: 0,
    rate500: 0,
    rate503: 0,
    rateShutdown: 0,
    resetRate: 0,
    goAwayAfterStreams: 0,
  });
  sim.clearTokens();
  sim.resetCounts();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

// Each transport gets a simulator of its own: keys, renewals and client CAs start afresh.
describe.each(APNS_TRANSPORTS)("transport %s", (suiteTransport) => {
  beforeAll(async () => {
    transport = suiteTransport;
    sim = await startSimulator({
      host: "127.0.0.1",
      keys: [{ keyId: KEY_ID, teamId: TEAM_ID, privateKeyPem: PRIVATE_PEM }],
      seed: 3,
    });
  });

  afterAll(() => sim.close());

  describe("success", () => {
    it("echoes the given apns-id, generates one otherwise, and passes apns-unique-id through", async () => {
      const id = "0a0b0c0d-0e0f-4000-8000-000000000001";
      const withId = buildNotification({
        pushType: "alert",
        bundleId: BUNDLE,
        aps: { alert: "hi" },
        apnsId: id,
      });
      const c = client();
      const first = await c.send(notification(0, withId));
      expect(first).toMatchObject({ ok: true, status: 200, apnsId: id, attempts: 1 });
      const second = await c.send(notification(1));
      expect(second.ok && second.apnsId).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(second.ok && second.apnsUniqueId).toBeTruthy(); // sandbox only
      expect(sim.recent(2).map((r) => [r.apnsId, r.token, r.payload])).toStrictEqual([
        [second.apnsId, token(1), ALERT.body],
        [id, token(0), ALERT.body],
      ]);
    });
  });

  describe("APNs rejections surface as outcomes", () => {
    it("maps each token-level reason to its status and action, with the 410 timestamp", async () => {
      const c = client();
      sim.markBad(token(0));
      sim.markExpired(token(1));
      sim.markUnregistered(token(2), 1_700_000_000_123);
      sim.setTokenTopic(token(3), "com.example.other");
      sim.tooManyRequestsFor(token(4));
      const outcomes = await Promise.all(range(5).map((i) => c.send(notification(i))));
      const summary = outcomes.map((o) =>
        o.ok ? "ok" : [o.status, o.reason, o.action, o.attempts, o.timestamp ?? null],
      );
      expect(summary).toStrictEqual([
        [400, "BadDeviceToken", "invalidate-token", 1, null],
        [410, "ExpiredToken", "invalidate-token", 1, null],
        [410, "Unregistered", "invalidate-token", 1, 1_700_000_000_123],
        [400, "DeviceTokenNotForTopic", "invalidate-token", 1, null],
        [429, "TooManyRequests", "retry", 1 + FAST_RETRY.maxBackoffRetries, null],
      ]);
    });

    it("maps request-level reasons when local validation is off", async () => {
      const c = client({ validate: false });
      const big = buildNotification({
        pushType: "alert",
        bundleId: BUNDLE,
        aps: { alert: "x".repeat(4100) },
      });
      const cases: Array<[Notification, number, string]> = [
        [
          { ...notification(0), headers: { ...ALERT.headers, "apns-collapse-id": "c".repeat(65) } },
          400,
          "BadCollapseId",
        ],
        [
          { ...notification(1), headers: { ...ALERT.headers, "apns-priority": "7" } },
          400,
          "BadPriority",
        ],
        [
          { ...notification(2), headers: { ...ALERT.headers, "apns-id": "NOT-A-UUID" } },
          400,
          "BadMessageId",
        ],
        [{ ...notification(3), headers: { "apns-push-type": "alert" } }, 400, "MissingTopic"],
        [{ ...notification(4), body: "" }, 400, "PayloadEmpty"],
        [notification(5, big), 413, "PayloadTooLarge"],
        [
          { ...notification(6), headers: { ...ALERT.headers, "apns-push-type": "telepathy" } },
          400,
          "InvalidPushType",
        ],
        [{ ...notification(7), deviceToken: "zz" }, 400, "BadDeviceToken"],
      ];
      for (const [n, status, reason] of cases) {
        const outcome = await c.send(n);
        expect([reason, outcome.ok, outcome.status, !outcome.ok && outcome.reason]).toStrictEqual([
          reason,
          false,
          status,
          reason,
        ]);
      }
    });

    it("refuses invalid requests locally, before they reach APNs", async () => {
      const c = client();
      const big = buildNotification({
        pushType: "alert",
        bundleId: BUNDLE,
        aps: { alert: "x".repeat(4100) },
      });
      const outcome = await c.send(notification(0, big));
      expect(outcome).toMatchObject({
        ok: false,
        status: 0,
        reason: "InvalidRequest",
        action: "fix-request",
        attempts: 0,
      });
      expect(!outcome.ok && outcome.issues?.map((i) => i.message)).toStrictEqual([
        "payload is 4,120 of 4,096 bytes",
      ]);
      expect(sim.counts().received).toBe(0);
    });
  });

  describe("connection faults", () => {
    it("GOAWAY mid-batch: every notification delivered exactly once", async () => {
      sim.setFaults({ goAwayAfterStreams: 100 });
      const batch = range(600).map((i) => notification(i));
      const outcomes = await collect(client({ connections: 2 }).sendMany(batch, { window: 300 }));
      expect(outcomes.filter((o) => !o.outcome.ok)).toStrictEqual([]);
      const counts = sim.counts();
      expect(counts.goawaysSent).toBeGreaterThanOrEqual(5);
      expect(counts).toMatchObject({
        accepted: 600,
        acceptedTokens: 600,
        duplicateAccepts: 0,
        duplicateTokens: 0,
      });
      expect(outcomes.some((o) => o.outcome.attempts > 1)).toBe(true); // refused streams were re-sent
    });

    it("503, 500 and 429 storms: backed off and retried until all are delivered, once each", async () => {
      sim.setFaults({ rate503: 0.2, rate429: 0.2, rate500: 0.1 });
      const c = client({ retry: { ...FAST_RETRY, maxBackoffRetries: 20 } });
      const outcomes = await collect(
        c.sendMany(
          range(300).map((i) => notification(i)),
          { window: 100 },
        ),
      );
      expect(outcomes.filter((o) => !o.outcome.ok).map((o) => o.outcome)).toStrictEqual([]);
      const counts = sim.counts();
      expect(
        counts.byStatus["503"] + counts.byStatus["429"] + counts.byStatus["500"],
      ).toBeGreaterThan(50);
      expect(counts).toMatchObject({ accepted: 300, acceptedTokens: 300, duplicateAccepts: 0 });
    });

    const shutdownStorm = async () => {
      sim.setFaults({ rateShutdown: 0.02 });
      const outcomes = await collect(
        client().sendMany(
          range(300).map((i) => notification(i)),
          { window: 100 },
        ),
      );

      return { outcomes, counts: sim.counts() };
    };

    it("503 Shutdown storm: resent at once on fresh connections until all are delivered", async () => {
      const { outcomes, counts } = await shutdownStorm();
      expect(outcomes.filter((o) => !o.outcome.ok).map((o) => o.outcome)).toStrictEqual([]);
      expect(counts.byReason.Shutdown).toBeGreaterThan(0);
      expect(counts.connectionsOpened).toBeGreaterThan(1); // each Shutdown retires its connection
      expect(counts.acceptedTokens).toBe(300);
    });

    // The simulator's Shutdown GOAWAY covers every stream it received (simulator/REQUESTS.md #1), so a
    // stream is re-sent only if it was refused, never after a 200 the GOAWAY made us discard.
    it("503 Shutdown storm: nothing accepted twice", async () => {
      const { counts } = await shutdownStorm();
      expect(counts).toMatchObject({ acceptedTokens: 300, duplicateAccepts: 0 });
    });

    it("socket resets: all delivered; duplicates only where flagged possibleDuplicate", async () => {
      // Each reset loses every stream in flight on that connection, so keep the window modest.
      sim.setFaults({ resetRate: 0.01 });
      const c = client({ connections: 2, reconnectBaseMs: 1 });
      const outcomes = await collect(
        c.sendMany(
          range(400).map((i) => notification(i)),
          { window: 50 },
        ),
      );
      expect(outcomes.filter((o) => !o.outcome.ok).map((o) => o.outcome)).toStrictEqual([]);
      const counts = sim.counts();
      expect(counts.resetsDone).toBeGreaterThan(0);
      expect(counts.acceptedTokens).toBe(400);
      const flagged = new Set(
        outcomes.filter((o) => o.outcome.possibleDuplicate).map((o) => o.notification.deviceToken),
      );
      const twice = range(400)
        .map(token)
        .filter((t) => sim.tokenCounts(t).accepted > 1);
      expect(twice.filter((t) => !flagged.has(t))).toStrictEqual([]);
      expect(counts.duplicateTokens).toBe(twice.length);
    });

    it("honours the stream limit: 1 until the first success, then the raised limit", async () => {
      const limited = await startSimulator({
        host: "127.0.0.1",
        keys: [{ keyId: KEY_ID, teamId: TEAM_ID, privateKeyPem: PRIVATE_PEM }],
        maxConcurrentStreams: 5,
        faults: { latencyMs: 15 },
      });
      try {
        const c = client({ connections: 1 });
        const credential = {
          ...tokenCredential(),
          endpoint: { host: "127.0.0.1", port: limited.port },
          caPem: limited.caPem,
        };
        const own = new ApnsClient({
          credential,
          environment: "sandbox",
          transport,
          connections: 1,
          retry: FAST_RETRY,
          tokenStore,
        });
        clients.push(own);
        void c;
        const started = Date.now();
        const outcomes = await collect(own.sendMany(range(60).map((i) => notification(i))));
        const elapsed = Date.now() - started;
        expect(outcomes.every((o) => o.outcome.ok && o.outcome.attempts === 1)).toBe(true);
        // Any stream above the advertised limit would have been refused by the server.
        expect(limited.counts()).toMatchObject({
          accepted: 60,
          refusedStreams: 0,
          connectionsOpened: 1,
        });
        // 60 requests, 5 at a time, 15 ms each: at least 12 rounds.
        expect(elapsed).toBeGreaterThanOrEqual(12 * 15 - 5);
        expect(elapsed).toBeLessThan(60 * 15);
      } finally {
        await limited.close();
      }
    });

    it("connection refused and timeouts are outcomes with status 0", async () => {
      const dead = new ApnsClient({
        credential: { ...tokenCredential(), endpoint: { host: "127.0.0.1", port: 1 } },
        environment: "sandbox",
        transport,
        retry: { ...FAST_RETRY, maxBackoffRetries: 1 },
        reconnectBaseMs: 1,
      });
      clients.push(dead);
      expect(await dead.send(notification(0))).toMatchObject({
        ok: false,
        status: 0,
        reason: "ConnectionError",
        action: "retry",
        attempts: 2,
      });

      const slow = client({
        requestTimeoutMs: 200,
        retry: { ...FAST_RETRY, maxBackoffRetries: 0 },
      });
      // Connected first: a request still waiting for its connection when the time is up ends as
      // NotSent (never processed) instead.
      expect((await slow.send(notification(2))).ok).toBe(true);
      sim.setFaults({ latencyMs: 800 });
      expect(await slow.send(notification(1))).toMatchObject({
        ok: false,
        status: 0,
        reason: "Timeout",
        attempts: 1,
      });
    });

    it("close() ends cleanly and later sends resolve as ClientClosed", async () => {
      const c = client();
      expect((await c.send(notification(0))).ok).toBe(true);
      await c.close();
      expect(await c.send(notification(1))).toMatchObject({ ok: false, reason: "ClientClosed" });
      expect(c.stats()).toMatchObject({ ready: 0, connecting: 0, active: 0, queued: 0 });
    });
  });

  describe("authentication", () => {
    it("an expired provider token is renewed once and the push re-sent", async () => {
      let calls = 0;
      // The first token is signed 61 minutes in the past; every later one at the real time.
      const now = () => (calls++ === 0 ? Date.now() - 61 * 60_000 : Date.now());
      // A key of its own, so this test's renewal is the key's first.
      const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
      const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
      sim.registerKey({ keyId: "KEYEXPIRED", teamId: TEAM_ID, privateKeyPem });
      const c = client({
        now,
        tokenStore: new MemoryProviderTokenStore(),
        credential: { ...tokenCredential(), keyId: "KEYEXPIRED", privateKeyPem } as ApnsCredential,
      });
      const outcomes: SendOutcome[] = await Promise.all(
        range(20).map((i) => c.send(notification(i))),
      );
      expect(outcomes.every((o) => o.ok)).toBe(true);
      const counts = sim.counts();
      expect(counts.byReason.ExpiredProviderToken).toBeGreaterThanOrEqual(1);
      // A second renewal within 20 minutes would have drawn 429 TooManyProviderTokenUpdates.
      expect(counts.byReason.TooManyProviderTokenUpdates ?? 0).toBe(0);
      expect(counts.accepted).toBe(20);
      expect(Math.max(...outcomes.map((o) => o.attempts))).toBe(2);
    });

    describe("certificate auth with an openssl-made .p12", () => {
      let cert: OpensslPushCertificate;

      beforeAll(() => {
        cert = createOpensslPushCertificate({
          bundleId: "com.example.cert",
          teamId: "TEAMCERT01",
          passphrase: "secret",
          environment: "sandbox",
        });
        sim.addClientCa(cert.caPem);
      });

      it("sends to every topic of the certificate and is refused elsewhere", async () => {
        const c = new ApnsClient({
          credential: {
            kind: "certificate",
            p12: cert.p12,
            passphrase: cert.passphrase,
            endpoint: `127.0.0.1:${sim.port}`,
            caPem: sim.caPem,
          },
          environment: "sandbox",
          transport,
          retry: FAST_RETRY,
        });
        clients.push(c);
        const build = (pushType: "alert" | "voip", bundleId: string) =>
          buildNotification({
            pushType,
            bundleId,
            aps: pushType === "alert" ? { alert: "cert" } : {},
          });
        const app = await c.send(notification(0, build("alert", "com.example.cert")));
        const voip = await c.send(notification(1, build("voip", "com.example.cert")));
        const other = await c.send(notification(2, build("alert", "com.example.app")));
        expect([app.ok, voip.ok]).toStrictEqual([true, true]);
        expect(other).toMatchObject({
          ok: false,
          status: 400,
          reason: "TopicDisallowed",
          action: "fix-credential",
        });
        expect(sim.recent(3).every((r) => !("authorization" in r))).toBe(true);
      });

      it("refuses a wrong passphrase at construction", () => {
        expect(
          () =>
            new ApnsClient({
              credential: { kind: "certificate", p12: cert.p12, passphrase: "nope" },
              environment: "sandbox",
            }),
        ).toThrow("The .p12 passphrase is wrong");
      });
    });
  });
});
