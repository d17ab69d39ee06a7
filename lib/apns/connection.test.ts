// Our HTTP/2 client connection against an independent implementation: node:http2's server
// (nghttp2) over real TLS. nghttp2 checks our framing and HPACK; we check that we decode what it
// sends (Huffman, dynamic table churn, padding, CONTINUATION) and honour its flow control.

import { createHash, randomBytes } from "node:crypto";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { ApnsConnection, type ApnsRequest, type RawResult } from "./connection";
import { FRAME, SETTING } from "./h2/frames";
import {
  ScriptedPeer,
  frame,
  peerTls,
  windowUpdateFrame,
  type PeerOptions,
  type PeerSession,
} from "./h2/scripted-peer";

// One certificate for both kinds of server: nghttp2's and the scripted peer.
const serverTls = peerTls();
const { NGHTTP2_REFUSED_STREAM, NGHTTP2_CANCEL, PADDING_STRATEGY_MAX } = http2.constants;
const cleanup: (() => unknown)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

type Handler = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void;

async function startServer(
  handler: Handler,
  options: http2.SecureServerOptions = {},
): Promise<{ server: http2.Http2SecureServer; port: number }> {
  const server = http2.createSecureServer({
    cert: serverTls.certPem,
    key: serverTls.keyPem,
    ...options,
  });
  server.on("stream", (stream, headers) => {
    stream.on("error", () => {});
    handler(stream, headers);
  });
  server.on("session", (session) => session.on("error", () => {}));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  cleanup.push(() => sessions.forEach((session) => session.destroy()));

  return { server, port: (server.address() as AddressInfo).port };
}

/** A scripted raw-frame server (h2/scripted-peer.ts), for what nghttp2 will not do on demand. */
async function startPeer(options: PeerOptions): Promise<ScriptedPeer> {
  const peer = await ScriptedPeer.start(options);
  cleanup.push(() => peer.close());

  return peer;
}

async function connect(
  port: number,
  options: { maxStreams?: number; pingIntervalMs?: number } = {},
): Promise<ApnsConnection> {
  let connection: ApnsConnection | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    connection = new ApnsConnection({
      endpoint: { host: "127.0.0.1", port, authority: `127.0.0.1:${port}` },
      tls: { ca: [serverTls.caPem] },
      maxStreams: options.maxStreams ?? 1000,
      pingIntervalMs: options.pingIntervalMs ?? 60_000,
      connectTimeoutMs: 5000,
      onChange: () => {
        if (connection?.state === "ready") resolve();
        if (connection?.state === "closed") reject(connection.connectError);
      },
    });
  });
  cleanup.push(() => connection!.close(100));
  await ready;

  return connection!;
}

function send(
  connection: ApnsConnection,
  request: Partial<ApnsRequest> = {},
  body: Uint8Array = Buffer.from("{}"),
  timeoutMs = 5000,
): Promise<RawResult> {
  return new Promise((resolve) =>
    connection.request(
      {
        path: "/3/device/abc",
        headers: {},
        apnsId: "00000000-0000-0000-0000-000000000000",
        ...request,
      },
      body,
      timeoutMs,
      resolve,
    ),
  );
}

function readBody(stream: http2.ServerHttp2Stream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));

  return new Promise((resolve) => stream.on("end", () => resolve(Buffer.concat(chunks))));
}

describe("ApnsConnection against nghttp2", () => {
  it("sends APNs' request headers and decodes Huffman-coded, indexed answers while the table churns", async () => {
    const seen: http2.IncomingHttpHeaders[] = [];
    const { port } = await startServer(async (stream, headers) => {
      seen.push(headers);
      await readBody(stream);
      const padding: Record<string, string> = {};
      // Fill and churn the server's dynamic table (4 KB) between the values we check.
      for (let i = 0; i < 4; i++)
        padding[`x-pad-${i}`] = randomBytes(60 + i * 40).toString("base64");
      stream.respond({
        ":status": 200,
        "apns-id": String(headers["x-echo"]),
        "apns-unique-id": String(headers["x-echo"]).split("").reverse().join(""),
        ...padding,
      });
      stream.end();
    });
    const connection = await connect(port);
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)).join("");
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => {
        // Mostly common characters (so nghttp2 Huffman-codes the value), plus every printable one.
        const echo = `value-${i}-${printable[i % 95]}${printable[(i * 7) % 95]}-end`;

        return send(connection, {
          path: `/3/device/${i.toString(16).padStart(64, "0")}`,
          apnsId: `id-${i}`,
          authorization: `bearer token-${i % 3}`,
          headers: {
            "apns-topic": "com.example.app",
            "apns-push-type": "alert",
            "apns-priority": 10,
            "x-echo": echo,
          },
        }).then((result) => ({ result, echo }));
      }),
    );
    for (const { result, echo } of results) {
      expect(result).toMatchObject({ kind: "response", status: 200, apnsId: echo });
      expect(result.kind === "response" && result.apnsUniqueId).toBe(
        echo.split("").reverse().join(""),
      );
    }
    expect(seen).toHaveLength(300);
    const first = seen.find((h) => h["apns-id"] === "id-7")!;
    expect(first).toMatchObject({
      ":method": "POST",
      ":scheme": "https",
      ":authority": `127.0.0.1:${port}`,
      ":path": `/3/device/${(7).toString(16).padStart(64, "0")}`,
      authorization: "bearer token-1",
      "apns-topic": "com.example.app",
      "apns-push-type": "alert",
      "apns-priority": "10",
    });
  });

  it("splits large header blocks into CONTINUATION frames both ways, and reads padded frames", async () => {
    const big = "x".repeat(40_000);
    const { port } = await startServer(
      async (stream, headers) => {
        const body = await readBody(stream);
        stream.respond({
          ":status": 400,
          "apns-id": String(headers.authorization).length.toString(),
          "x-big": big,
        });
        stream.end(JSON.stringify({ reason: "BadDeviceToken", echo: body.length }));
      },
      { paddingStrategy: PADDING_STRATEGY_MAX, settings: { maxHeaderListSize: 1 << 20 } },
    );
    const connection = await connect(port);
    const result = await send(
      connection,
      { authorization: `bearer ${big}` },
      Buffer.alloc(3000, 0x61),
    );
    expect(result).toEqual({
      kind: "response",
      status: 400,
      apnsId: String(big.length + 7),
      apnsUniqueId: undefined,
      retryAfter: undefined,
      body: JSON.stringify({ reason: "BadDeviceToken", echo: 3000 }),
    });
  });

  it("holds request bodies until the server's flow-control windows allow them", async () => {
    const { port } = await startServer(
      async (stream) => {
        const body = await readBody(stream);
        stream.respond({
          ":status": 200,
          "apns-id": createHash("sha256").update(body).digest("hex"),
        });
        stream.end();
      },
      // 1 KB per stream at first; the first KB of 100 bodies alone exceeds the 64 KB connection window.
      { settings: { initialWindowSize: 1024 } },
    );
    const connection = await connect(port);
    const bodies = Array.from({ length: 100 }, () => randomBytes(5120));
    const results = await Promise.all(bodies.map((body) => send(connection, {}, body)));
    results.forEach((result, i) =>
      expect(result).toMatchObject({
        status: 200,
        apnsId: createHash("sha256").update(bodies[i]).digest("hex"),
      }),
    );
  });

  it("never sends more DATA than the connection window (65,535 bytes until WINDOW_UPDATE)", async () => {
    // A scripted peer: nghttp2 opens a larger connection window, so it cannot show this.
    let maxBeforeUpdate = 0;
    const peer = await startPeer({
      ackSettings: false,
      autoRespond: (stream, session) => session.respond(stream.id),
    });
    const next = peer.nextSession();
    const connection = await connect(peer.port);
    const session = await next;
    // Give the client time to overrun the window, then open it by 1 MB.
    const updated = session
      .until(() => session.dataBytes() >= 60_000, 20_000, "60,000 bytes of DATA")
      .then(async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        maxBeforeUpdate = session.dataBytes();
        session.send(windowUpdateFrame(0, 0x100000));
      });
    const results = await Promise.all(
      Array.from({ length: 30 }, () => send(connection, {}, randomBytes(5000))),
    );
    await updated;
    results.forEach((result) => expect(result).toMatchObject({ kind: "response", status: 200 }));
    expect(maxBeforeUpdate).toBe(65_535);
    expect(session.dataBytes()).toBe(150_000);
    // No DATA frame larger than the default SETTINGS_MAX_FRAME_SIZE, which the peer never raised.
    for (const f of session.framesOf(FRAME.DATA))
      expect(f.payload.length).toBeLessThanOrEqual(16_384);
  });

  it("re-encodes a campaign's shared headers whenever our HPACK table has changed since", async () => {
    const { port } = await startServer((stream, headers) => {
      const seen = ["apns-topic", "apns-push-type", "apns-expiration"].map((n) => headers[n]);
      stream.respond({ ":status": 200, "apns-id": seen.join("|") });
      stream.end();
    });
    const connection = await connect(port);
    const shared = {
      "apns-topic": "com.example.app",
      "apns-push-type": "alert",
      "apns-expiration": 0,
    };
    for (let round = 0; round < 3; round++) {
      // Shared requests interleaved with ones whose new topics keep adding (and evicting) entries.
      const results = await Promise.all(
        Array.from({ length: 120 }, (_, i) => {
          const headers =
            i % 3 === 2
              ? {
                  "apns-topic": `com.example.app${round}x${i}${"y".repeat(100)}`,
                  "apns-push-type": "alert",
                }
              : shared;

          return send(connection, { headers }).then((result) => ({ result, headers }));
        }),
      );
      for (const { result, headers } of results) {
        const h = headers as Record<string, unknown>;
        const expected = [h["apns-topic"], h["apns-push-type"], h["apns-expiration"] ?? ""].join(
          "|",
        );
        expect(result).toMatchObject({ status: 200, apnsId: expected });
      }
    }
  });

  it("encodes a headers object again after the caller changed it (nothing stale from the cache)", async () => {
    const { port } = await startServer((stream, headers) => {
      stream.respond({
        ":status": 200,
        "apns-id": `${headers["apns-topic"]}|${headers["apns-priority"]}`,
      });
      stream.end();
    });
    const connection = await connect(port);
    const headers: Record<string, string | number> = {
      "apns-topic": "com.example.a",
      "apns-priority": 10,
    };
    // Twice each, so the second encoding of each state comes from the cache when it is valid.
    for (const [topic, priority] of [
      ["com.example.a", 10],
      ["com.example.b", 10],
      ["com.example.b", 5],
    ] as const) {
      headers["apns-topic"] = topic;
      headers["apns-priority"] = priority;
      for (let i = 0; i < 2; i++) {
        expect(await send(connection, { headers })).toMatchObject({
          apnsId: `${topic}|${priority}`,
        });
      }
    }
    delete headers["apns-priority"];
    expect(await send(connection, { headers })).toMatchObject({
      apnsId: "com.example.b|undefined",
    });
  });

  it("a stream that times out before its body was all sent ends as NotSent, never a possible duplicate", async () => {
    const { port } = await startServer(() => {}, { settings: { initialWindowSize: 100 } });
    const connection = await connect(port);
    // 100 bytes fit the stream's window; the rest waits for a WINDOW_UPDATE that never comes.
    expect(await send(connection, {}, Buffer.alloc(1000, 0x61), 100)).toEqual({
      kind: "failure",
      reason: "NotSent",
    });
    expect(connection.active).toBe(0);
  });

  it("stops opening streams while the socket's buffer is full, and resumes when it drains", async () => {
    let reading: PeerSession | undefined;
    const peer = await startPeer({
      // Windows wide open, so only the socket can hold the client back; then stop reading.
      settings: [[SETTING.INITIAL_WINDOW_SIZE, 2 ** 30]],
      onSession: (s) => {
        s.send(windowUpdateFrame(0, 0x40000000));
        s.socket.pause();
        reading = s;
      },
      autoRespond: (stream, s) => s.respond(stream.id),
    });
    const connection = await connect(peer.port);
    const pending = Array.from({ length: 48 }, () =>
      send(connection, {}, Buffer.alloc(1 << 20, 0x61), 20_000),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connection.active).toBe(48);
    expect(connection.capacity).toBe(0);
    reading!.socket.resume();
    const results = await Promise.all(pending);
    expect(results.every((r) => r.kind === "response" && r.status === 200)).toBe(true);
    expect(connection.capacity).toBeGreaterThan(0);
  });

  it("keeps working with a server that allows no dynamic table (size updates to 0)", async () => {
    const { port } = await startServer(
      (stream, headers) => {
        stream.respond({ ":status": 200, "apns-id": String(headers["apns-id"]) });
        stream.end();
      },
      { settings: { headerTableSize: 0 } },
    );
    const connection = await connect(port);
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          send(connection, {
            apnsId: `r${round}-${i}`,
            headers: { "apns-topic": "com.example.app", "apns-expiration": i },
          }),
        ),
      );
      results.forEach((result, i) =>
        expect(result).toMatchObject({ status: 200, apnsId: `r${round}-${i}` }),
      );
    }
  });

  it("honours the server's stream limit and reports resets: REFUSED_STREAM is Refused, others ConnectionLost", async () => {
    const { port } = await startServer(
      (stream, headers) => {
        const path = String(headers[":path"]);
        if (path.endsWith("refuse")) return stream.close(NGHTTP2_REFUSED_STREAM);
        if (path.endsWith("cancel")) return stream.close(NGHTTP2_CANCEL);
        stream.respond({ ":status": 200 });
        stream.end();
      },
      { settings: { maxConcurrentStreams: 3 } },
    );
    const connection = await connect(port);
    expect(connection.capacity).toBe(3);
    expect(await send(connection, { path: "/3/device/refuse" })).toEqual({
      kind: "failure",
      reason: "Refused",
    });
    expect(await send(connection, { path: "/3/device/cancel" })).toMatchObject({
      kind: "failure",
      reason: "ConnectionLost",
    });
    expect(await send(connection)).toMatchObject({ kind: "response", status: 200 });
    expect(connection.state).toBe("ready");
  });

  it("cancels a timed-out stream on the wire (RST_STREAM CANCEL)", async () => {
    let closedWith: Promise<number> | undefined;
    const { port } = await startServer((stream) => {
      closedWith = new Promise((resolve) => stream.on("close", () => resolve(stream.rstCode)));
    });
    const connection = await connect(port);
    expect(await send(connection, {}, Buffer.from("{}"), 50)).toEqual({
      kind: "failure",
      reason: "Timeout",
    });
    expect(await closedWith).toBe(NGHTTP2_CANCEL);
    expect(connection.active).toBe(0);
  });

  it("answers the server's PINGs and pings when idle", async () => {
    const pings: Buffer[] = [];
    const { server, port } = await startServer(() => {});
    const session = new Promise<http2.ServerHttp2Session>((resolve) =>
      server.once("session", resolve),
    );
    const connection = await connect(port, { pingIntervalMs: 20 });
    const serverSession = await session;
    serverSession.on("ping", (payload: Buffer) => pings.push(payload));
    const acknowledged = await new Promise<Error | null>((resolve) =>
      serverSession.ping(Buffer.from("pushdeck"), (error) => resolve(error)),
    );
    expect(acknowledged).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(pings.length).toBeGreaterThanOrEqual(2);
    expect(connection.state).toBe("ready");
  });

  it("fails to connect to a TLS server that does not offer HTTP/2", async () => {
    const peer = await startPeer({ offerH2: false, settings: null, ackSettings: false });
    await expect(connect(peer.port)).rejects.toMatchObject({
      reason: "ConnectionError",
    });
  });

  it("survives a peer that answers with random bytes: every request ends as a failure", async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const peer = await startPeer({
      ackSettings: false,
      onSession: (session) =>
        session.socket.once("data", () => {
          setTimeout(() => {
            // Plausible frame headers (small lengths, real types, odd stream ids) with junk payloads.
            const frames: Buffer[] = [];
            for (let i = 0; i < 40; i++) {
              const length = Math.floor(random() * 24);
              const frame = Buffer.alloc(9 + length);
              frame.writeUIntBE(length, 0, 3);
              frame[3] = Math.floor(random() * 11);
              frame[4] = Math.floor(random() * 256);
              frame.writeUInt32BE(Math.floor(random() * 4) * 2 + 1, 5);
              for (let j = 9; j < frame.length; j++) frame[j] = Math.floor(random() * 256);
              frames.push(frame);
            }
            session.socket.end(Buffer.concat(frames));
          }, 10);
        }),
    });
    const port = peer.port;
    for (let round = 0; round < 25; round++) {
      const connection = await connect(port);
      const results = await Promise.all([send(connection), send(connection), send(connection)]);
      for (const result of results)
        expect(result.kind === "failure" || result.status > 0).toBe(true);
      await connection.close(50);
      expect(connection.state).toBe("closed");
    }
  });

  it("drops a peer that breaks the protocol: its requests end as failures, nothing throws", async () => {
    const peer = await startPeer({
      ackSettings: false,
      // An empty SETTINGS (we become ready), then on the first request a DATA frame on stream 0.
      onSession: (session) =>
        session.socket.once("data", () =>
          setTimeout(() => session.send(frame(FRAME.DATA, 0, 0, [0x41])), 20),
        ),
    });
    const connection = await connect(peer.port);
    const result = await send(connection);
    expect(result).toMatchObject({ kind: "failure", reason: "ConnectionLost" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(connection.state).toBe("closed");
  });
});
