// startSimulator(): wires TLS, the HTTP/2 server, per-connection state and the admin API.

import { once } from "node:events";
import {
  createSecureServer,
  type Http2SecureServer,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from "node:http2";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";

import { readCertIdentity } from "../certificate-identity";
import { startAdminServer } from "./admin-server";
import { createConnection, type Connection, type SimulatorContext } from "./context";
import { Counters } from "./counters";
import { DEFAULT_FAULTS, mergeFaults } from "./faults";
import { JwtVerifier } from "./jwt-verifier";
import { createRandom } from "./prng";
import { handleStream, sendGoaway } from "./stream-handler";
import { generateServerTls, loadServerTls } from "./tls-material";
import { TokenRegistry } from "./token-registry";
import type { Simulator, SimulatorOptions } from "./types";

/** Judges the client certificate once per connection; TLS already checked it against clientCaPems. */
function attachSocket(connection: Connection, socket: TLSSocket): void {
  connection.socket = socket;
  const peer = socket.getPeerCertificate(false);
  if (!peer || !peer.raw) return;
  if (!socket.authorized) {
    connection.cert = { kind: "invalid" }; // unknown issuer, expired…: Apple answers 403 BadCertificate
    return;
  }
  try {
    connection.cert = { kind: "valid", identity: readCertIdentity(peer.raw) };
  } catch {
    connection.cert = { kind: "invalid" };
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const mode = options.mode ?? "sandbox";
  const now = options.now ?? Date.now;
  const tls = options.tls ? loadServerTls(options.tls) : generateServerTls();
  const clientCas = [...(options.clientCaPems ?? [])];
  const context: SimulatorContext = {
    mode,
    now,
    counters: new Counters(options.recentCapacity ?? 1000),
    tokens: new TokenRegistry(),
    jwt: new JwtVerifier(
      mode,
      now,
      options.tokenMaxAgeMs ?? 3_600_000,
      options.tokenRefreshWindowMs ?? 1_200_000,
    ),
    random: createRandom(options.seed ?? 1),
    faults: mergeFaults(DEFAULT_FAULTS, options.faults ?? {}),
    maxConcurrentStreams: options.maxConcurrentStreams ?? 1000,
    connections: new Set(),
    streamsTowardGoaway: 0,
  };
  for (const key of options.keys ?? []) context.jwt.registerKey(key);

  const secureContext = () => ({
    key: tls.keyPem,
    cert: tls.certPem,
    ca: clientCas.length > 0 ? clientCas : undefined,
  });
  const server: Http2SecureServer = createSecureServer({
    ...secureContext(),
    allowHTTP1: false, // ALPN h2 only, like APNs
    requestCert: true, // certificate auth is optional: a client without one falls back to JWT
    rejectUnauthorized: false,
    settings: { maxConcurrentStreams: 1 }, // until the first authenticated 200
    maxSessionMemory: 64,
  });

  // 'session' fires inside Node's own 'secureConnection' listener, before ours, so the pending
  // connection can be paired with its raw TLS socket right after.
  let pending: Connection | null = null;
  server.on("session", (session: ServerHttp2Session) => {
    const connection = createConnection(session);
    pending = connection;
    context.connections.add(connection);
    context.counters.connectionsOpened++;
    context.counters.connectionsActive++;
    session.on(
      "stream",
      (
        stream: ServerHttp2Stream,
        headers: IncomingHttpHeaders,
        _flags: number,
        rawHeaders: string[],
      ) => handleStream(context, connection, stream, headers, rawHeaders),
    );
    session.on("error", () => {});
    session.once("close", () => {
      context.connections.delete(connection);
      context.counters.connectionsActive--;
    });
    const idle = context.faults.idleTimeoutMs;
    if (idle > 0)
      session.setTimeout(idle, () =>
        sendGoaway(context, connection, connection.maxStreamId, "IdleTimeout"),
      );
  });
  server.on("secureConnection", (socket: TLSSocket) => {
    if (pending) attachSocket(pending, socket);
    pending = null;
  });

  server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await once(server, "listening");
  const address = server.address() as AddressInfo;
  // The admin routes call the simulator's own methods, bound lazily because it is built below.
  let simulator: Simulator | null = null;
  const admin =
    options.adminPort !== undefined
      ? await startAdminServer(
          options.adminPort,
          options.adminHost ?? options.host ?? "127.0.0.1",
          () => simulator!,
        )
      : null;

  simulator = {
    port: address.port,
    host: options.host ?? "127.0.0.1",
    url: `https://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`,
    caPem: tls.caPem,
    adminPort: admin?.port ?? null,
    mode,
    registerKey: (key) => context.jwt.registerKey(key),
    removeKey: (keyId) => context.jwt.removeKey(keyId),
    addClientCa: (pem) => {
      clientCas.push(pem);
      server.setSecureContext(secureContext());
    },
    registerToken: (token, info) => context.tokens.register(token, info),
    setTokenTopic: (token, topic) => context.tokens.register(token, { topic }),
    markUnregistered: (token, timestampMs) =>
      context.tokens.markUnregistered(token, timestampMs ?? now()),
    markExpired: (token) => context.tokens.markExpired(token),
    markBad: (token) => context.tokens.markBad(token),
    tooManyRequestsFor: (token, on = true) => context.tokens.setTooManyRequests(token, on),
    clearTokens: () => context.tokens.clear(),
    setFaults: (faults) => {
      context.faults = mergeFaults(context.faults, faults);
      // "Every N streams" counts from when it is set (also when set again to the same N).
      if (faults.goAwayEveryStreams !== undefined) context.streamsTowardGoaway = 0;
    },
    faults: () => ({ ...context.faults }),
    counts: () => context.counters.counts(),
    tokenCounts: (token) => context.counters.tokenCounts(token),
    recent: (limit) => context.counters.recent(limit),
    duplicateIds: (options) => context.counters.duplicateIds(options),
    resetCounts: () => context.counters.reset(),
    close: async () => {
      await admin?.close();
      for (const connection of context.connections) connection.session.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Give graceful closes a moment, then cut what is left so close() always returns.
      const timer = setTimeout(() => context.connections.forEach((c) => c.session.destroy()), 1000);
      await closed;
      clearTimeout(timer);
    },
  };
  return simulator;
}
