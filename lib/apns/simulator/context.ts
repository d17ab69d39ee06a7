// Shared state of one simulator instance, and the per-connection state the handlers need.

import type { ServerHttp2Session } from "node:http2";
import type { TLSSocket } from "node:tls";

import type { CertIdentity } from "./client-cert";
import type { Counters } from "./counters";
import type { JwtVerifier, TokenBinding } from "./jwt-verifier";
import type { Random } from "./prng";
import type { TokenRegistry } from "./token-registry";
import type { SimulatorFaults, SimulatorMode } from "./types";

export type SimulatorContext = {
  mode: SimulatorMode;
  now: () => number;
  counters: Counters;
  tokens: TokenRegistry;
  jwt: JwtVerifier;
  random: Random;
  faults: SimulatorFaults;
  maxConcurrentStreams: number;
  connections: Set<Connection>;
};

/** What "authenticated by certificate" means for a connection, decided once at TLS time. */
export type CertAuth =
  { kind: "none" } | { kind: "invalid" } | { kind: "valid"; identity: CertIdentity };

export type Connection = {
  session: ServerHttp2Session;
  /** The raw TLS socket, for abrupt resets (the session only exposes a guarded proxy). */
  socket: TLSSocket | null;
  cert: CertAuth;
  /** Token auth binding: first team and key seen on this connection (apns.md §3). */
  binding: TokenBinding;
  /** Has the stream limit been raised after the first authenticated 200? */
  raised: boolean;
  streams: number;
  /** Highest stream id received: a GOAWAY must cover every stream we may have acted on. */
  maxStreamId: number;
  /** Set once a GOAWAY went out; streams above it are refused. */
  goawayLastStreamId: number | null;
};

export function createConnection(session: ServerHttp2Session): Connection {
  return {
    session,
    socket: null,
    cert: { kind: "none" },
    binding: {},
    raised: false,
    streams: 0,
    maxStreamId: 0,
    goawayLastStreamId: null,
  };
}
