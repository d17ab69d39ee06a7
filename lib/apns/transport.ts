// What the pool needs of one HTTP/2 connection to APNs, and the transports that provide it.
// - "native" (connection.ts): our own HTTP/2 client framing and HPACK over node:tls; the default,
//   a third of node:http2's CPU per notification (docs/apns-sender.md).
// - "node" (node-connection.ts): node:http2's client (nghttp2), the way out should Apple's servers
//   and our framing ever disagree.
// Both behave the same at this interface: the shared integration suite runs on each.

import { ApnsConnection } from "./connection";
import type { ClientTlsMaterial, ResolvedEndpoint } from "./credentials";
import type { RawCallback, RawFailure } from "./in-flight";
import { NodeHttp2Connection } from "./node-connection";
import type { ApnsRequest } from "./request-headers";

export type ApnsTransport = "native" | "node";

export type ConnectionState = "connecting" | "ready" | "draining" | "closed";

/** The server's GOAWAY (RFC 9113 §6.8) and the reason in its JSON debug data, if any. */
export type GoawayInfo = { code: number; lastStreamId: number; reason?: string };

export type ConnectionOptions = {
  endpoint: ResolvedEndpoint;
  tls: ClientTlsMaterial;
  /** Our own ceiling on concurrent streams, below whatever the server allows. */
  maxStreams: number;
  pingIntervalMs: number;
  connectTimeoutMs: number;
  /** Called whenever capacity may have changed (ready, settings, stream done, closed). */
  onChange: () => void;
};

export interface Connection {
  readonly state: ConnectionState;
  /** Set when the connection failed before it was ever ready. */
  readonly connectError: RawFailure | null;
  /** The first GOAWAY the server sent, if any. */
  readonly goaway: GoawayInfo | null;
  /** How many more streams may be opened now (0 unless ready). */
  readonly capacity: number;
  /** Streams in flight. */
  readonly active: number;
  /**
   * Send one request; `done` gets exactly one result, a response or a classified failure (at once,
   * Refused, when the connection is no longer ready).
   */
  request(request: ApnsRequest, body: Uint8Array, timeoutMs: number, done: RawCallback): void;
  /** Stop taking new streams; close once the in-flight ones finish. */
  retire(): void;
  /** Close gracefully; after `graceMs` in-flight streams are cut. */
  close(graceMs?: number): Promise<void>;
}

export const APNS_TRANSPORTS: readonly ApnsTransport[] = ["native", "node"];

export function isApnsTransport(value: unknown): value is ApnsTransport {
  return APNS_TRANSPORTS.includes(value as ApnsTransport);
}

/** Open a connection with the chosen transport. */
export function createConnection(transport: ApnsTransport, options: ConnectionOptions): Connection {
  switch (transport) {
    case "native":
      return new ApnsConnection(options);
    case "node":
      return new NodeHttp2Connection(options);
    default:
      throw new Error(`unknown APNs transport "${String(transport)}"`);
  }
}
