// The sender's interoperability suite, written once and registered per independent HTTP/2 server
// (servers.ts) and per transport (APNS_TRANSPORTS): the public ApnsClient against a server that is
// neither node:http2 nor nghttp2. The scripted server protocol is in tests/interop/README.md.

import { createHash, generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import {
  APNS_TRANSPORTS,
  ApnsClient,
  type ApnsClientOptions,
  type ApnsCredential,
  type ApnsHeaders,
  type ApnsTransport,
  type Notification,
  type NotificationOutcome,
  type SendOutcome,
} from "@/lib/apns";

import {
  removeServerTls,
  writeServerTls,
  type InteropEvent,
  type InteropServer,
  type InteropServerKind,
  type TlsFiles,
} from "./servers";

const PRIVATE_PEM = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();
const BASE_HEADERS = { "apns-push-type": "alert", "apns-topic": "com.example.app" };
const BODY = JSON.stringify({ aps: { alert: "interop" } });
const KB = 1024;

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");
const token = (i: number) => (i + 1).toString(16).padStart(64, "0");
/** The request headers of the scripted protocol ride along with the apns-* ones. */
const headers = (extra: Record<string, string> = {}) =>
  ({ ...BASE_HEADERS, ...extra }) as ApnsHeaders;
const notification = (i: number, extra?: Record<string, string>, body = BODY): Notification => ({
  deviceToken: token(i),
  headers: headers(extra),
  body,
});
/** Header-safe text of `n` bytes that HPACK's Huffman code barely shrinks. */
const blob = (n: number) => randomBytes(n).toString("base64").slice(0, n);
/** A JSON payload of exactly `n` bytes, different per `seed`. */
function jsonBody(n: number, seed: number): string {
  const head = JSON.stringify({ aps: { alert: `flow ${seed}` }, pad: "" });
  const pad = blob(n - head.length);

  return JSON.stringify({ aps: { alert: `flow ${seed}` }, pad });
}

async function collect(
  iterable: AsyncIterable<NotificationOutcome>,
): Promise<NotificationOutcome[]> {
  const all: NotificationOutcome[] = [];
  for await (const item of iterable) all.push(item);

  return all;
}

/** Outcomes that are not ok, compactly, for failure messages. */
const failures = (outcomes: SendOutcome[]) =>
  outcomes
    .filter((o) => !o.ok)
    .map((o) => `${o.status} ${o.reason} (attempts ${o.attempts})`)
    .slice(0, 10);

export function registerSenderSuite(kind: InteropServerKind): void {
  describe(`sender ↔ ${kind.name}`, () => {
    let tls: TlsFiles | undefined;
    let server: InteropServer;
    let windowServer: InteropServer | undefined;
    const clients: ApnsClient[] = [];

    beforeAll(async () => {
      // A missing toolchain fails here with what to install: CI installs it, so it is never skipped.
      await kind.prepare();
      tls = writeServerTls();
      server = await kind.start(tls);
      if (kind.capabilities.initialWindowSize) {
        windowServer = await kind.start(tls, { initialWindowSize: 1024 });
      }
    });

    afterAll(async () => {
      await Promise.all([server?.stop(), windowServer?.stop()]);
      removeServerTls(tls);
    });

    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.close()));
    });

    function client(
      transport: ApnsTransport,
      target: InteropServer,
      options: Partial<ApnsClientOptions> = {},
    ): ApnsClient {
      const credential: ApnsCredential = {
        kind: "token",
        keyId: "KEYINTEROP",
        teamId: "TEAMINTEROP",
        privateKeyPem: PRIVATE_PEM,
        endpoint: { host: "127.0.0.1", port: target.port },
        caPem: target.caPem,
      };
      const c = new ApnsClient({
        credential,
        environment: "sandbox",
        transport,
        // The scripted x-interop-* headers are not APNs headers: send them as they are.
        validate: false,
        // Retryable answers end at once: this suite is about the wire, not the retry table.
        retry: { maxBackoffRetries: 0, baseDelayMs: 1, maxDelayMs: 50 },
        requestTimeoutMs: 5000,
        connectTimeoutMs: 5000,
        reconnectBaseMs: 10,
        reconnectMaxMs: 100,
        ...options,
      });
      clients.push(c);

      return c;
    }

    /** The server's log lines for these apns-ids. */
    const eventsFor = (events: readonly InteropEvent[], ids: Iterable<string>): InteropEvent[] => {
      const wanted = new Set(ids);

      return events.filter((e) => wanted.has(e.apnsId));
    };

    for (const transport of APNS_TRANSPORTS) {
      describe(`transport "${transport}"`, () => {
        describe("success", () => {
          it("a 200 carries the request's apns-id back", async () => {
            const id = randomUUID();
            const outcome = await client(transport, server).send(
              notification(0, { "apns-id": id }),
            );
            expect(outcome).toMatchObject({ ok: true, status: 200, apnsId: id, attempts: 1 });
            await server.waitForEvents((events) => events.some((e) => e.apnsId === id));
            expect(eventsFor(server.events, [id])).toMatchObject([{ status: 200, apnsId: id }]);
          });

          it("a 200 returns the server's apns-id when it differs from the request's", async () => {
            const sent = randomUUID();
            const answered = randomUUID();
            const outcome = await client(transport, server).send(
              notification(1, { "apns-id": sent, "x-interop-apns-id": answered }),
            );
            expect(outcome).toMatchObject({ ok: true, status: 200, apnsId: answered });
          });

          it("the server's checks are live: a wrong body or header digest is a 400", async () => {
            const c = client(transport, server);
            const [body, header] = await Promise.all([
              c.send(notification(2, { "x-body-sha256": sha256("something else") })),
              c.send(
                notification(3, {
                  "x-interop-blob": "abc",
                  "x-interop-blob-sha256": sha256("abd"),
                }),
              ),
            ]);
            expect(body).toMatchObject({ ok: false, status: 400, reason: "BadPayload" });
            expect(header).toMatchObject({ ok: false, status: 400, reason: "BadHeader" });
          });

          it("5 KB bodies arrive intact at the server's default window (sha256)", async () => {
            const c = client(transport, server);
            const sends = Array.from({ length: 20 }, (_, i) => {
              const body = jsonBody(5 * KB, i);

              return c.send(notification(i, { "x-body-sha256": sha256(body) }, body));
            });
            const outcomes = await Promise.all(sends);
            expect(failures(outcomes)).toEqual([]);
          });
        });

        describe("errors come back as outcome.status and outcome.reason", () => {
          const cases: { status: number; reason: string; timestamp?: number }[] = [
            { status: 400, reason: "BadDeviceToken" },
            { status: 403, reason: "InvalidProviderToken" },
            { status: 410, reason: "Unregistered", timestamp: 1_700_000_000_123 },
            { status: 413, reason: "PayloadTooLarge" },
            { status: 429, reason: "TooManyRequests" },
            { status: 500, reason: "InternalServerError" },
            { status: 503, reason: "ServiceUnavailable" },
          ];
          it.each(cases)("$status $reason", async ({ status, reason, timestamp }) => {
            const id = randomUUID();
            const extra: Record<string, string> = {
              "apns-id": id,
              "x-interop-status": String(status),
              "x-interop-reason": reason,
            };
            if (timestamp !== undefined) extra["x-interop-timestamp"] = String(timestamp);
            const outcome = await client(transport, server).send(notification(4, extra));
            expect(outcome).toMatchObject({ ok: false, status, reason, apnsId: id, attempts: 1 });
            if (timestamp !== undefined) expect(outcome).toMatchObject({ timestamp });
            else expect(outcome).not.toHaveProperty("timestamp");
          });
        });

        it("GOAWAY mid-batch: all 200 notifications end ok, each answered exactly once", async () => {
          const c = client(transport, server, { connections: 1 });
          const plain = headers();
          const goaway = headers({ "x-interop-goaway": "Shutdown" });
          const batch = Array.from({ length: 200 }, (_, i): Notification => ({
            deviceToken: token(i),
            headers: i === 60 ? goaway : plain,
            body: BODY,
          }));
          const outcomes = (await collect(c.sendMany(batch))).map((o) => o.outcome);
          expect(outcomes).toHaveLength(200);
          expect(failures(outcomes)).toEqual([]);
          const ids = outcomes.map((o) => o.apnsId);
          expect(new Set(ids).size).toBe(200);
          // Streams above the GOAWAY's last stream id were never processed: resent, not duplicates.
          expect(outcomes.filter((o) => o.possibleDuplicate)).toEqual([]);

          await server.waitForEvents((events) => eventsFor(events, ids).length >= 200);
          const answered = eventsFor(server.events, ids);
          const perId = new Map<string, number>();
          for (const e of answered) perId.set(e.apnsId, (perId.get(e.apnsId) ?? 0) + 1);
          // apns-ids the server answered more than once: resent although already processed.
          expect([...perId].filter(([, n]) => n !== 1)).toEqual([]);
          expect(perId.size).toBe(200);
          expect(answered.every((e) => e.status === 200)).toBe(true);
          // The GOAWAY did happen partway, and later notifications went over a fresh connection.
          const trigger = answered.find((e) => e.goaway);
          expect(trigger).toBeDefined();
          expect(answered.some((e) => e.conn > trigger!.conn)).toBe(true);
        });

        describe("flow control", () => {
          it.skipIf(!kind.capabilities.initialWindowSize)(
            `5 KB bodies through SETTINGS_INITIAL_WINDOW_SIZE 1024 arrive intact (sha256)${
              kind.capabilities.initialWindowSize
                ? ""
                : ` — skipped: ${kind.capabilities.initialWindowSizeMissing}`
            }`,
            async () => {
              const c = client(transport, windowServer!);
              const sends = Array.from({ length: 20 }, (_, i) => {
                const body = jsonBody(5 * KB, i);

                return c.send(notification(i, { "x-body-sha256": sha256(body) }, body));
              });
              const outcomes = await Promise.all(sends);
              expect(failures(outcomes)).toEqual([]);
              // The small window was in force: every body came in DATA frames of at most 1024 bytes.
              const ids = outcomes.map((o) => o.apnsId);
              await windowServer!.waitForEvents((events) => eventsFor(events, ids).length >= 20);
              const answered = eventsFor(windowServer!.events, ids);
              expect(answered).toHaveLength(20);
              for (const e of answered) {
                if (e.maxDataFrame === undefined) continue;
                expect(e.maxDataFrame).toBeLessThanOrEqual(1024);
                expect(e.dataFrames).toBeGreaterThanOrEqual(5);
              }
            },
          );
        });

        describe("large header blocks (CONTINUATION)", () => {
          it("a 40 KB request header block arrives intact, and HPACK stays in step after it", async () => {
            const c = client(transport, server);
            const value = blob(40 * KB);
            const big = headers({
              "x-interop-blob": value,
              "x-interop-blob-sha256": sha256(value),
            });
            // One after another on one connection: a desynchronised HPACK table shows on the next.
            const outcomes: SendOutcome[] = [];
            for (let i = 0; i < 3; i++) {
              outcomes.push(await c.send({ deviceToken: token(i), headers: big, body: BODY }));
            }
            outcomes.push(await c.send(notification(3)));
            expect(failures(outcomes)).toEqual([]);
            // Where the server counts frames (hyper-h2), the block really took CONTINUATION frames.
            // Go advertises SETTINGS_MAX_FRAME_SIZE 1 MiB, so there the block fits one HEADERS frame.
            const ids = outcomes.slice(0, 3).map((o) => o.apnsId);
            await server.waitForEvents((events) => eventsFor(events, ids).length >= 3);
            const answered = eventsFor(server.events, ids);
            expect(answered).toHaveLength(3);
            for (const e of answered) {
              if (e.continuations !== undefined) expect(e.continuations).toBeGreaterThanOrEqual(1);
            }
          });

          it("a 40 KB response header block is read, the server's apns-id included", async () => {
            const c = client(transport, server);
            const outcomes: SendOutcome[] = [];
            const answered: string[] = [];
            // The server answers with an apns-id of its own: the outcome can only carry it if the
            // whole block was read (hyper-h2 puts apns-id after the pad, in the last CONTINUATION).
            for (let i = 0; i < 4; i++) {
              const id = randomUUID();
              answered.push(id);
              const pad: Record<string, string> = i < 3 ? { "x-interop-pad": String(40 * KB) } : {};
              outcomes.push(await c.send(notification(i, { "x-interop-apns-id": id, ...pad })));
            }
            expect(failures(outcomes)).toEqual([]);
            expect(outcomes.map((o) => o.apnsId)).toEqual(answered);
          });
        });
      });
    }
  });
}
