// The pool and the client against servers that misbehave the ways APNs (or a network) can:
// refusing every connection politely, dropping every request, allowing no streams, shutting down
// without GOAWAY, or saying why it closed. Each case counts the TLS connections the server saw,
// since Apple treats a reconnect storm as abuse, and checks that every send settles.

import { generateKeyPairSync } from "node:crypto";

import { afterEach, describe, expect, it } from "vitest";

import { ApnsClient, type ApnsClientOptions } from "./client";
import { ERROR_CODE, SETTING } from "./h2/frames";
import {
  ScriptedPeer,
  goawayFrame,
  peerTls,
  settingsFrame,
  type PeerOptions,
} from "./h2/scripted-peer";
import type { Notification, SendOutcome } from "./outcome";
import { buildNotification } from "./payload";

const PRIVATE_PEM = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();
const ALERT = buildNotification({
  pushType: "alert",
  bundleId: "com.example.app",
  aps: { alert: "hi" },
});
const note = (i: number): Notification => ({
  deviceToken: (i + 1).toString(16).padStart(64, "0"),
  headers: ALERT.headers,
  body: ALERT.body,
});

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function server(options: PeerOptions): Promise<ScriptedPeer> {
  const started = await ScriptedPeer.start(options);
  cleanup.push(() => started.close());

  return started;
}

function client(port: number, options: Partial<ApnsClientOptions> = {}): ApnsClient {
  const c = new ApnsClient({
    credential: {
      kind: "token",
      keyId: "KEYPOOL001",
      teamId: "TEAMPOOL01",
      privateKeyPem: PRIVATE_PEM,
      endpoint: { host: "127.0.0.1", port },
      caPem: peerTls().caPem,
    },
    environment: "sandbox",
    ...options,
  });
  cleanup.push(() => c.close());

  return c;
}

const within = <T>(ms: number, promise: Promise<T>): Promise<T | "pending"> =>
  Promise.race([promise, new Promise<"pending">((r) => setTimeout(r, ms, "pending"))]);

describe("reconnecting without a storm", () => {
  it.each([
    ["SETTINGS then GOAWAY", [settingsFrame([]), goawayFrame(0, ERROR_CODE.NO_ERROR)]],
    ["GOAWAY first", [goawayFrame(0, ERROR_CODE.NO_ERROR), settingsFrame([])]],
  ])(
    "a server that answers the preface with %s gets a few connections, and send() settles",
    async (_name, frames) => {
      const peer = await server({
        settings: null,
        onSession: (s) => {
          for (const f of frames) s.send(f);
          s.socket.end();
        },
      });
      const c = client(peer.port, {
        requestTimeoutMs: 1000,
        retry: { deadlineMs: 3000 },
      });
      const started = Date.now();
      const outcome = await within(5000, c.send(note(0)));
      expect(outcome).not.toBe("pending");
      expect(outcome).toMatchObject({ ok: false, action: "retry", deadlineExceeded: true });
      expect(Date.now() - started).toBeLessThan(4000);
      // 250 ms doubling with jitter: at most ~6 connections in 3 s (the storm opened ~125).
      expect(peer.sessions.length).toBeGreaterThanOrEqual(2);
      expect(peer.sessions.length).toBeLessThanOrEqual(7);
      expect(c.stats().failedConnections).toBe(peer.sessions.length);
    },
  );

  it("a server that drops the socket on every request: 20 sends back off instead of reconnecting per request", async () => {
    const peer = await server({ autoRespond: (_, s) => s.destroy() });
    const c = client(peer.port, { requestTimeoutMs: 500, retry: { deadlineMs: 3000 } });
    const started = Date.now();
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => c.send(note(i))));
    expect(Date.now() - started).toBeLessThan(4500);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ ok: false, deadlineExceeded: true });
    }
    // 220 connections in under 6 s before; a back-off from 250 ms allows about 6 in 3 s.
    expect(peer.sessions.length).toBeLessThanOrEqual(7);
  });

  it("a connection that carried successes is replaced at once when it breaks", async () => {
    let answered = 0;
    const peer = await server({
      autoRespond: (stream, s) => {
        // The first connection answers two requests, then drops; later ones answer everything.
        if (s.index === 1 && ++answered > 2) return s.destroy();
        s.respond(stream.id);
      },
    });
    const c = client(peer.port, { maxStreamsPerConnection: 1 });
    const outcomes: SendOutcome[] = [];
    for (let i = 0; i < 5; i++) outcomes.push(await c.send(note(i)));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(outcomes[2]).toMatchObject({ ok: true, possibleDuplicate: true, attempts: 2 });
    expect(peer.sessions.length).toBe(2);
    expect(c.stats().failedConnections).toBe(0);
  });
});

describe("deadlines", () => {
  it("a request queued behind SETTINGS_MAX_CONCURRENT_STREAMS = 0 ends when its time is up", async () => {
    const peer = await server({ settings: [[SETTING.MAX_CONCURRENT_STREAMS, 0]] });
    const c = client(peer.port, { requestTimeoutMs: 500, retry: { deadlineMs: 500 } });
    const started = Date.now();
    const outcome = await within(2000, c.send(note(0)));
    expect(outcome).toMatchObject({
      ok: false,
      reason: "NotSent",
      deadlineExceeded: true,
      attempts: 1,
    });
    expect(outcome).not.toHaveProperty("possibleDuplicate");
    expect(Date.now() - started).toBeLessThan(1000);
    // The pool opens its second connection when the first allows no stream, and no more.
    expect(peer.sessions.length).toBe(2);
  });

  it("apns-expiration bounds the retries of a notification: 503s until it passes", async () => {
    const peer = await server({
      autoRespond: (stream, s) =>
        s.respond(stream.id, { status: 503, body: '{"reason":"ServiceUnavailable"}' }),
    });
    const c = client(peer.port, { retry: { baseDelayMs: 100, deadlineMs: 60_000 } });
    const expiresIn = 1500;
    const started = Date.now();
    const outcome = await c.send({
      ...note(0),
      headers: {
        ...ALERT.headers,
        "apns-expiration": String(Math.ceil((Date.now() + expiresIn) / 1000)),
      },
    });
    expect(outcome).toMatchObject({
      ok: false,
      reason: "ServiceUnavailable",
      action: "retry",
      deadlineExceeded: true,
    });
    expect(outcome.attempts).toBeGreaterThan(2);
    expect(Date.now() - started).toBeLessThan(expiresIn + 1100);
  });
});

describe("what the server says when it goes away", () => {
  it("503 Shutdown without GOAWAY: the resend goes out at once on a fresh connection", async () => {
    const perConnection: number[] = [];
    const peer = await server({
      autoRespond: (stream, s) => {
        perConnection[s.index] = (perConnection[s.index] ?? 0) + 1;
        if (s.index === 1) s.respond(stream.id, { status: 503, body: '{"reason":"Shutdown"}' });
        else s.respond(stream.id);
      },
    });
    const c = client(peer.port);
    const started = Date.now();
    const outcome = await c.send(note(0));
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    expect(outcome).not.toHaveProperty("possibleDuplicate");
    expect(perConnection[1]).toBe(1);
    expect(peer.sessions.length).toBe(2);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("GOAWAY with a reason retrying cannot fix ends the sends with that reason, without reconnecting in a loop", async () => {
    const peer = await server({
      autoRespond: (_, s) => {
        s.send(goawayFrame(0, ERROR_CODE.NO_ERROR, '{"reason":"InvalidProviderToken"}'));
        s.socket.end();
      },
    });
    const c = client(peer.port, { retry: { deadlineMs: 5000 } });
    const started = Date.now();
    const outcomes = await Promise.all([0, 1, 2].map((i) => c.send(note(i))));
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({
        ok: false,
        reason: "InvalidProviderToken",
        status: 403,
        action: "fix-credential",
      });
    }
    expect(Date.now() - started).toBeLessThan(1000);
    expect(peer.sessions.length).toBe(1);
  });

  it("GOAWAY Shutdown mid-request: the refused stream is resent on a fresh connection", async () => {
    const peer = await server({
      autoRespond: (stream, s) => {
        if (s.index === 1) {
          s.send(goawayFrame(stream.id - 2, ERROR_CODE.NO_ERROR, '{"reason":"Shutdown"}'));
          s.socket.end();
        } else s.respond(stream.id);
      },
    });
    const c = client(peer.port);
    await expect(c.send(note(0))).resolves.toMatchObject({ ok: true, attempts: 2 });
    expect(peer.sessions.length).toBe(2);
  });
});

describe("failures inside the sender never escape as exceptions", () => {
  it("a certificate that cannot be used: send() and sendMany() resolve with a credential outcome", async () => {
    const c = new ApnsClient({
      credential: {
        kind: "certificate",
        certPem: "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n",
        keyPem: "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n",
        endpoint: { host: "127.0.0.1", port: 1 },
      },
      environment: "sandbox",
      retry: { deadlineMs: 500 },
    });
    cleanup.push(() => c.close());
    await expect(c.send(note(0))).resolves.toMatchObject({ ok: false, action: "fix-credential" });
    const outcomes: SendOutcome[] = [];
    for await (const { outcome } of c.sendMany([note(1), note(2)])) outcomes.push(outcome);
    expect(outcomes).toHaveLength(2);
    expect(outcomes.every((o) => !o.ok && o.action === "fix-credential")).toBe(true);
  });

  it("a port tls.connect refuses synchronously: the send ends as a connection failure", async () => {
    const c = client(70_000, { retry: { deadlineMs: 300 } });
    await expect(c.send(note(0))).resolves.toMatchObject({
      ok: false,
      reason: "ConnectionError",
    });
  });
});
