// The node:http2 transport at the Connection interface, against node:http2's own server (where a
// test needs a precise frame: GOAWAY, RST_STREAM, settings changes) and against the simulator (the
// way APNs behaves: one stream until the first authenticated success, Apple's GOAWAY reasons).

import http2 from "node:http2";
import net, { type AddressInfo } from "node:net";
import tls from "node:tls";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { ClientTlsMaterial } from "./credentials";
import { FRAME } from "./h2/frames";
import type { RawResult } from "./in-flight";
import { NodeHttp2Connection } from "./node-connection";
import type { ApnsRequest } from "./request-headers";
import { startSimulator, type Simulator } from "./simulator";
import { createTestKey, nowSeconds, type TestKey } from "./simulator/test-helpers";
import { generateServerTls } from "./simulator/tls-material";

const serverTls = generateServerTls();
const { NGHTTP2_REFUSED_STREAM, NGHTTP2_CANCEL, NGHTTP2_NO_ERROR, NGHTTP2_ENHANCE_YOUR_CALM } =
  http2.constants;
const cleanup: (() => unknown)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

type Handler = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void;

type TestServer = {
  server: http2.Http2SecureServer;
  port: number;
  /** The raw TLS sockets, for cutting a connection without any HTTP/2 goodbye. */
  sockets: tls.TLSSocket[];
};

async function startServer(
  handler: Handler,
  options: http2.SecureServerOptions = {},
): Promise<TestServer> {
  const server = http2.createSecureServer({
    cert: serverTls.certPem,
    key: serverTls.keyPem,
    ...options,
  });
  const sockets: tls.TLSSocket[] = [];
  server.on("secureConnection", (socket: tls.TLSSocket) => sockets.push(socket));
  server.on("stream", (stream, headers) => {
    stream.on("error", () => {});
    handler(stream, headers);
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    session.on("error", () => {});
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  cleanup.push(() => sessions.forEach((session) => session.destroy()));

  return { server, port: (server.address() as AddressInfo).port, sockets };
}

/** A plain TLS server (no HTTP/2 of its own) handing each socket to `onSocket`. */
async function startTlsServer(
  onSocket: (socket: tls.TLSSocket) => void,
  options: tls.TlsOptions = {},
): Promise<number> {
  const server = tls.createServer(
    { cert: serverTls.certPem, key: serverTls.keyPem, ...options },
    (socket) => {
      socket.on("error", () => {});
      onSocket(socket);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));

  return (server.address() as AddressInfo).port;
}

type Opened = { connection: NodeHttp2Connection; changes: () => number };

type OpenOptions = {
  maxStreams?: number;
  pingIntervalMs?: number;
  connectTimeoutMs?: number;
  tls?: ClientTlsMaterial;
};

/** Opens a connection; resolves once it is ready or closed (whichever comes first). */
async function open(port: number, options: OpenOptions = {}): Promise<Opened> {
  let changes = 0;
  let settled: (() => void) | undefined;
  const waited = new Promise<void>((resolve) => (settled = resolve));
  const connection: NodeHttp2Connection = new NodeHttp2Connection({
    endpoint: { host: "127.0.0.1", port, authority: `127.0.0.1:${port}` },
    tls: options.tls ?? { ca: [serverTls.caPem] },
    maxStreams: options.maxStreams ?? 1000,
    pingIntervalMs: options.pingIntervalMs ?? 60_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 5000,
    onChange: () => {
      changes++;
      if (connection.state === "ready" || connection.state === "closed") settled?.();
    },
  });
  // Nothing is reported from inside the constructor (the pool is not listening yet).
  expect(changes).toBe(0);
  expect(connection.capacity).toBe(0);
  cleanup.push(() => connection.close(100));
  await waited;

  return { connection, changes: () => changes };
}

async function connect(port: number, options: OpenOptions = {}): Promise<NodeHttp2Connection> {
  const { connection } = await open(port, options);
  if (connection.state !== "ready") throw connection.connectError;

  return connection;
}

function send(
  connection: NodeHttp2Connection,
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

async function until(condition: () => boolean, ms = 2000): Promise<void> {
  for (const end = Date.now() + ms; !condition();) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const closedPort = async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));

  return port;
};

describe("NodeHttp2Connection against node:http2's server", () => {
  it("is ready after the server's SETTINGS; capacity follows SETTINGS_MAX_CONCURRENT_STREAMS under our own ceiling", async () => {
    const { server, port } = await startServer(() => {}, {
      settings: { maxConcurrentStreams: 3 },
    });
    const session = new Promise<http2.ServerHttp2Session>((resolve) =>
      server.once("session", resolve),
    );
    const { connection, changes } = await open(port, { maxStreams: 8 });
    expect(connection.state).toBe("ready");
    expect(connection.capacity).toBe(3);
    const serverSession = await session;

    const before = changes();
    serverSession.settings({ maxConcurrentStreams: 20 });
    await until(() => connection.capacity === 8); // our ceiling
    expect(changes()).toBeGreaterThan(before);
    serverSession.settings({ maxConcurrentStreams: 2 });
    await until(() => connection.capacity === 2);

    void send(connection, {}, Buffer.from("{}"), 100);
    expect([connection.active, connection.capacity]).toEqual([1, 1]);
  });

  it("sends APNs' request headers, :path and authorization never indexed, and reads the answer", async () => {
    const seen: http2.IncomingHttpHeaders[] = [];
    const bodies: string[] = [];
    const { port } = await startServer(async (stream, headers) => {
      seen.push(headers);
      bodies.push((await readBody(stream)).toString());
      stream.respond({
        ":status": 200,
        "apns-id": String(headers["apns-id"]),
        "apns-unique-id": "unique-1",
      });
      stream.end();
    });
    const connection = await connect(port);
    const result = await send(
      connection,
      {
        path: "/3/device/0123",
        apnsId: "0a0b0c0d-0e0f-4000-8000-000000000001",
        authorization: "bearer token-1",
        headers: {
          "apns-topic": "com.example.app",
          "apns-push-type": "alert",
          "apns-priority": 10,
          "apns-collapse-id": undefined,
          "apns-id": "ignored",
          authorization: "ignored",
          ":path": "/ignored",
        },
      },
      Buffer.from('{"aps":{}}'),
    );
    expect(result).toEqual({
      kind: "response",
      status: 200,
      apnsId: "0a0b0c0d-0e0f-4000-8000-000000000001",
      apnsUniqueId: "unique-1",
      retryAfter: undefined,
      body: "",
    });
    expect(bodies).toEqual(['{"aps":{}}']);
    const { [http2.sensitiveHeaders]: sensitive, ...headers } = seen[0] as Record<
      string | symbol,
      unknown
    >;
    expect(headers).toEqual({
      ":method": "POST",
      ":scheme": "https",
      ":authority": `127.0.0.1:${port}`,
      ":path": "/3/device/0123",
      authorization: "bearer token-1",
      "apns-id": "0a0b0c0d-0e0f-4000-8000-000000000001",
      "apns-topic": "com.example.app",
      "apns-push-type": "alert",
      "apns-priority": "10",
    });
    expect(sensitive).toEqual(expect.arrayContaining([":path", "authorization", "apns-id"]));
    expect(connection.active).toBe(0);
  });

  it("returns error statuses with their body and retry-after; an empty body ends the stream with HEADERS", async () => {
    const { port } = await startServer(async (stream, headers) => {
      const body = await readBody(stream);
      const path = String(headers[":path"]);
      if (path.endsWith("busy")) {
        stream.respond({ ":status": 429, "apns-id": "b", "retry-after": "120" });
        stream.end(JSON.stringify({ reason: "TooManyRequests" }));
      } else if (path.endsWith("bare")) {
        stream.respond({ ":status": 403 }, { endStream: true });
      } else if (path.endsWith("huge")) {
        stream.respond({ ":status": 500 });
        stream.end(Buffer.alloc(100_000, 0x61)); // beyond the 64 KB we keep
      } else {
        stream.respond({ ":status": 400, "apns-id": "a" });
        stream.end(JSON.stringify({ reason: "PayloadEmpty", bytes: body.length }));
      }
    });
    const connection = await connect(port);
    expect(await send(connection, {}, new Uint8Array(0))).toEqual({
      kind: "response",
      status: 400,
      apnsId: "a",
      apnsUniqueId: undefined,
      retryAfter: undefined,
      body: JSON.stringify({ reason: "PayloadEmpty", bytes: 0 }),
    });
    expect(await send(connection, { path: "/3/device/busy" })).toMatchObject({
      status: 429,
      apnsId: "b",
      retryAfter: "120",
      body: '{"reason":"TooManyRequests"}',
    });
    expect(await send(connection, { path: "/3/device/bare" })).toMatchObject({
      kind: "response",
      status: 403,
      body: "",
    });
    const huge = await send(connection, { path: "/3/device/huge" });
    expect(huge).toMatchObject({ kind: "response", status: 500 });
    expect(huge.kind === "response" && huge.body.length).toBeLessThanOrEqual(64 * 1024);
  });

  it("GOAWAY: streams above lastStreamId are Refused with the GOAWAY and Apple's reason, the rest finish", async () => {
    const held: http2.ServerHttp2Stream[] = [];
    const { port } = await startServer((stream) => {
      held.push(stream);
      if (held.length < 3) return;
      // Three streams (1, 3, 5) open: keep only the first.
      stream.session!.goaway(NGHTTP2_NO_ERROR, 1, Buffer.from('{"reason":"Shutdown"}'));
      setTimeout(() => {
        held[0].respond({ ":status": 200, "apns-id": "first" });
        held[0].end();
      }, 20);
    });
    const { connection } = await open(port);
    const results = Promise.all([send(connection), send(connection), send(connection)]);
    const [first, second, third] = await results;
    const goaway = { code: NGHTTP2_NO_ERROR, lastStreamId: 1, reason: "Shutdown" };
    expect(first).toMatchObject({ kind: "response", status: 200, apnsId: "first" });
    expect(second).toEqual({ kind: "failure", reason: "Refused", goaway });
    expect(third).toEqual({ kind: "failure", reason: "Refused", goaway });
    expect(connection.goaway).toEqual(goaway);
    expect(connection.state === "draining" || connection.state === "closed").toBe(true);
    expect(connection.capacity).toBe(0);
    expect(await send(connection)).toMatchObject({ kind: "failure", reason: "Refused" });
    await until(() => connection.state === "closed");
    expect(connection.connectError).toBeNull();
  });

  it("a GOAWAY with an error code ends the session: its streams carry the GOAWAY too", async () => {
    const { port } = await startServer((stream) => {
      setTimeout(
        () =>
          stream.session!.goaway(
            NGHTTP2_ENHANCE_YOUR_CALM,
            stream.id!,
            Buffer.from('{"reason":"TooManyRequests"}'),
          ),
        10,
      );
    });
    const connection = await connect(port);
    const result = await send(connection);
    const goaway = { code: NGHTTP2_ENHANCE_YOUR_CALM, lastStreamId: 1, reason: "TooManyRequests" };
    expect(result).toMatchObject({ kind: "failure", reason: "ConnectionLost", goaway });
    await until(() => connection.state === "closed");
    expect(connection.goaway).toEqual(goaway);
  });

  it("RST_STREAM REFUSED_STREAM is Refused, another reset is ConnectionLost; the connection stays up", async () => {
    const { port } = await startServer((stream, headers) => {
      const path = String(headers[":path"]);
      if (path.endsWith("refuse")) return stream.close(NGHTTP2_REFUSED_STREAM);
      if (path.endsWith("cancel")) return stream.close(NGHTTP2_CANCEL);
      stream.respond({ ":status": 200 });
      stream.end();
    });
    const connection = await connect(port);
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

  it("a socket cut after the request was written: ConnectionLost, and the connection closes", async () => {
    const { port, sockets } = await startServer(async (stream) => {
      await readBody(stream);
      sockets[0].destroy();
    });
    const connection = await connect(port);
    expect(await send(connection)).toMatchObject({ kind: "failure", reason: "ConnectionLost" });
    await until(() => connection.state === "closed");
    expect(connection.connectError).toBeNull();
    expect(await send(connection)).toEqual({ kind: "failure", reason: "Refused" });
  });

  it("Timeout after timeoutMs, and the stream is cancelled on the wire (RST_STREAM CANCEL)", async () => {
    let closedWith: Promise<number> | undefined;
    const { port } = await startServer((stream) => {
      closedWith = new Promise((resolve) => stream.on("close", () => resolve(stream.rstCode)));
      stream.resume();
    });
    const connection = await connect(port);
    const started = Date.now();
    expect(await send(connection, {}, Buffer.from("{}"), 50)).toEqual({
      kind: "failure",
      reason: "Timeout",
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(await closedWith).toBe(NGHTTP2_CANCEL);
    expect(connection.active).toBe(0);
    expect(connection.state).toBe("ready");
  });

  it("a body the server's flow-control window kept from being written times out as not sent", async () => {
    // 1 KB stream window, and the server never reads (so never opens it further).
    const { port } = await startServer(() => {}, { settings: { initialWindowSize: 1024 } });
    const connection = await connect(port);
    expect(await send(connection, {}, Buffer.alloc(8000, 0x61), 50)).toEqual({
      kind: "failure",
      reason: "NotSent",
    });
    expect(connection.active).toBe(0);
  });

  it("pings when idle and answers the server's PINGs", async () => {
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

  it("a PING left unanswered for a whole interval ends the connection and its streams", async () => {
    // A hand-written peer: SETTINGS, then silence (nghttp2 would answer PINGs by itself).
    const port = await startTlsServer(
      (socket) => {
        socket.write(Buffer.from([0, 0, 0, FRAME.SETTINGS, 0, 0, 0, 0, 0]));
        socket.resume();
      },
      { ALPNProtocols: ["h2"] },
    );
    const connection = await connect(port, { pingIntervalMs: 30 });
    const result = await send(connection, {}, Buffer.from("{}"), 5000);
    expect(result).toMatchObject({ kind: "failure", reason: "ConnectionLost" });
    expect(connection.capacity).toBe(0);
    await until(() => connection.state === "closed");
    expect(connection.connectError).toBeNull();
  });

  it("retire() lets in-flight streams finish, then closes; close() cuts them after the grace time", async () => {
    const { port } = await startServer((stream, headers) => {
      if (String(headers[":path"]).endsWith("never")) return;
      setTimeout(() => {
        stream.respond({ ":status": 200 });
        stream.end();
      }, 30);
    });
    const connection = await connect(port);
    const inFlight = send(connection);
    connection.retire();
    expect([connection.state, connection.capacity]).toEqual(["draining", 0]);
    expect(await send(connection)).toEqual({ kind: "failure", reason: "Refused" });
    expect(await inFlight).toMatchObject({ kind: "response", status: 200 });
    await until(() => connection.state === "closed");

    const other = await connect(port);
    const stuck = send(other, { path: "/3/device/never" });
    const started = Date.now();
    await other.close(50);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(other.state).toBe("closed");
    expect(await stuck).toMatchObject({ kind: "failure", reason: "ConnectionLost" });
  });

  it("connection refused: connectError ConnectionError", async () => {
    const { connection } = await open(await closedPort());
    expect(connection.state).toBe("closed");
    expect(connection.connectError).toMatchObject({ kind: "failure", reason: "ConnectionError" });
    expect(await send(connection)).toEqual({ kind: "failure", reason: "Refused" });
  });

  it("a server signed by a CA we do not trust: connectError TlsError", async () => {
    const { port } = await startServer(() => {});
    // A public root CA that did not sign the test server's certificate.
    const { connection } = await open(port, { tls: { ca: [tls.rootCertificates[0]] } });
    expect(connection.state).toBe("closed");
    expect(connection.connectError).toMatchObject({ kind: "failure", reason: "TlsError" });
  });

  it("TLS material node cannot load: a connect failure reported later, never an exception", async () => {
    const { port } = await startServer(() => {});
    const { connection } = await open(port, {
      tls: { cert: "not a certificate", key: "not a key" },
    });
    expect(connection.state).toBe("closed");
    expect(connection.connectError).toMatchObject({ kind: "failure", reason: "TlsError" });
  });

  it("a TLS server that does not offer HTTP/2 (ALPN): connectError ConnectionError", async () => {
    const port = await startTlsServer((socket) => socket.resume());
    const { connection } = await open(port);
    expect(connection.connectError).toMatchObject({ reason: "ConnectionError" });
  });

  it("no TLS handshake within connectTimeoutMs: connectError ConnectionError", async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => new Promise((resolve) => server.close(resolve)));
    cleanup.push(() => sockets.forEach((socket) => socket.destroy()));
    const started = Date.now();
    const { connection } = await open((server.address() as AddressInfo).port, {
      connectTimeoutMs: 100,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(connection.connectError).toMatchObject({ reason: "ConnectionError" });
  });
});

describe("NodeHttp2Connection against the simulator", () => {
  const BUNDLE = "com.example.app";
  let sim: Simulator;
  let key: TestKey;
  let jwt: string;

  beforeAll(async () => {
    key = await createTestKey("KEYNODEH2X", "TEAMNODEH2");
    jwt = await key.sign(nowSeconds());
    sim = await startSimulator({
      host: "127.0.0.1",
      keys: [{ keyId: key.keyId, teamId: key.teamId, privateKeyPem: key.privateKeyPem }],
      maxConcurrentStreams: 5,
    });
  });

  afterAll(() => sim.close());

  afterEach(() => {
    sim.setFaults({ goAwayAfterStreams: 0, resetRate: 0 });
    sim.clearTokens();
  });

  const push = (connection: NodeHttp2Connection, i: number, timeoutMs = 5000) =>
    send(
      connection,
      {
        path: `/3/device/${(i + 1).toString(16).padStart(64, "0")}`,
        apnsId: `0a0b0c0d-0e0f-4000-8000-${i.toString().padStart(12, "0")}`,
        authorization: `bearer ${jwt}`,
        headers: { "apns-topic": BUNDLE, "apns-push-type": "alert", "apns-priority": 10 },
      },
      Buffer.from('{"aps":{"alert":"hi"}}'),
      timeoutMs,
    );

  const connectToSim = () => connect(sim.port, { tls: { ca: [sim.caPem] } });

  it("one stream until the first authenticated success, then the simulator's limit", async () => {
    const connection = await connectToSim();
    expect(connection.capacity).toBe(1);
    const first = await push(connection, 0);
    expect(first).toMatchObject({
      kind: "response",
      status: 200,
      apnsId: "0a0b0c0d-0e0f-4000-8000-000000000000",
    });
    expect(first.kind === "response" && first.apnsUniqueId).toBeTruthy();
    await until(() => connection.capacity === 5);
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => push(connection, i)));
    expect(results.map((r) => r.kind === "response" && r.status)).toEqual([
      200, 200, 200, 200, 200,
    ]);
    expect(sim.recent(1)[0]).toMatchObject({ token: (6).toString(16).padStart(64, "0") });
  });

  it("APNs' rejections are responses with their JSON reason", async () => {
    const connection = await connectToSim();
    sim.markBad((1).toString(16).padStart(64, "0"));
    sim.markUnregistered((2).toString(16).padStart(64, "0"), 1_700_000_000_000);
    expect(await push(connection, 0)).toMatchObject({
      status: 400,
      body: '{"reason":"BadDeviceToken"}',
    });
    const gone = await push(connection, 1);
    expect(gone).toMatchObject({ status: 410 });
    expect(JSON.parse(gone.kind === "response" ? gone.body : "{}")).toEqual({
      reason: "Unregistered",
      timestamp: 1_700_000_000_000,
    });
  });

  it("GOAWAY Shutdown: the GOAWAY is kept, streams above its last id are Refused with it", async () => {
    const connection = await connectToSim();
    expect(await push(connection, 0)).toMatchObject({ status: 200 });
    await until(() => connection.capacity === 5);
    sim.setFaults({ goAwayAfterStreams: 3 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => push(connection, i)));
    const goaway = { code: NGHTTP2_NO_ERROR, lastStreamId: 5, reason: "Shutdown" };
    expect(connection.goaway).toEqual(goaway);
    // Streams 3 and 5 (the 2nd and 3rd on this connection) are answered, 7… never processed.
    expect(results.slice(0, 2).map((r) => r.kind === "response" && r.status)).toEqual([200, 200]);
    for (const refused of results.slice(2))
      expect(refused).toEqual({ kind: "failure", reason: "Refused", goaway });
    await until(() => connection.state === "closed");
  });

  it("a connection reset by the server: its requests end as ConnectionLost", async () => {
    const connection = await connectToSim();
    sim.setFaults({ resetRate: 1 });
    expect(await push(connection, 0)).toMatchObject({ kind: "failure", reason: "ConnectionLost" });
    await until(() => connection.state === "closed");
  });
});
