// Shared state of one simulator instance, and the per-connection state the handlers need.

import type { ServerHttp2Session } from "node:http2";
import type { TLSSocket } from "node:tls";

import type { CertIdentity } from "../certificate-identity";
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
  /**
   * Streams received (and not refused), across connections, since the last goAwayEveryStreams
   * GOAWAY or since that fault was set.
   */
  streamsTowardGoaway: number;
};

/** What "authenticated by certificate" means for a connection, decided once at TLS time. */
export type CertAuth =
  { kind: "none" } | { kind: "invalid" } | { kind: "valid"; identity: CertIdentity };

export type Connection = {
  session: ServerHttp2Session;
  /** The raw TLS socket, for abrupt resets (the session only exposes a guarded proxy). */
  socket: TLSSocket | null;
  cert: CertAuth;
  /** Token auth binding: first team and key seen on this connection (docs/apns.md §3). */
  binding: TokenBinding;
  /**
   * Is the configured stream limit advertised? False until the first authenticated 200, and again
   * after a dropStreamsOnReject drop until the next 200.
   */
  raised: boolean;
  /** The SETTINGS_MAX_CONCURRENT_STREAMS last sent to the client (the initial SETTINGS say 1). */
  advertisedStreams: number;
  /** Our SETTINGS frames not yet acknowledged (Node caps them). */
  settingsInFlight: number;
  /** Set once the server ended the connection (GOAWAY or reset): counted once in connectionsBroken. */
  broken: boolean;
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
    advertisedStreams: 1,
    settingsInFlight: 0,
    broken: false,
    streams: 0,
    maxStreamId: 0,
    goawayLastStreamId: null,
  };
}
