// Public types of the APNs simulator. Kept in one file so the sender engineer (and the admin API)
// can import shapes without pulling in the server.

export type SimulatorMode = "sandbox" | "production";

export type KeyEnvironment = SimulatorMode | "both";

/** A provider signing key the simulator accepts JWTs from (docs/apns.md §3). */
export type SimulatorKey = {
  keyId: string;
  teamId: string;
  /** SPKI public key PEM, or the .p8 PKCS#8 private key PEM (the public half is derived). */
  publicKeyPem?: string;
  privateKeyPem?: string;
  /** Team-scoped keys are sandbox- or production-only; legacy keys work in both. Default "both". */
  environment?: KeyEnvironment;
  /** Topic-specific key: the bundle ids it may push to. Absent = team-scoped (every topic). */
  topics?: string[];
};

export type SimulatorFaults = {
  /** Fixed delay before every response, in ms. */
  latencyMs: number;
  /** Probabilities (0..1) applied to requests that passed validation. */
  rate429: number;
  rate500: number;
  rate503: number;
  /** 503 Shutdown followed by GOAWAY on that connection. */
  rateShutdown: number;
  /** Destroy the socket without answering. */
  resetRate: number;
  /** GOAWAY after this many streams on a connection (0 = never). */
  goAwayAfterStreams: number;
  /**
   * Server-wide: every Nth stream the simulator receives, whichever connection carries it, gets
   * GOAWAY {"reason":"Shutdown"} on that connection (0 = never). Counted from when it was set.
   */
  goAwayEveryStreams: number;
  /** GOAWAY {"reason":"IdleTimeout"} when a connection is idle this long (0 = never). */
  idleTimeoutMs: number;
  /**
   * 1 = after an injected fault answer (429, 500, 503, Shutdown) advertise SETTINGS_MAX_CONCURRENT_STREAMS 1
   * on that connection until its next 200, which restores maxConcurrentStreams (APNs, observed 2016).
   */
  dropStreamsOnReject: number;
};

export type TlsMaterial =
  | { certPem: string; keyPem: string; caPem?: string }
  | { certFile: string; keyFile: string; caFile?: string };

export type SimulatorOptions = {
  port?: number;
  host?: string;
  mode?: SimulatorMode;
  /** Start the JSON admin API on this port (0 = random). Omit for none. */
  adminPort?: number;
  adminHost?: string;
  maxConcurrentStreams?: number;
  tokenMaxAgeMs?: number;
  tokenRefreshWindowMs?: number;
  now?: () => number;
  seed?: number;
  faults?: Partial<SimulatorFaults>;
  clientCaPems?: string[];
  keys?: SimulatorKey[];
  tls?: TlsMaterial;
  recentCapacity?: number;
};

export type TokenCounts = { received: number; accepted: number };

export type SimulatorCounts = {
  received: number;
  accepted: number;
  byStatus: Record<string, number>;
  byReason: Record<string, number>;
  distinctTokens: number;
  acceptedTokens: number;
  duplicateTokens: number;
  /** apns-ids (client-supplied) accepted more than once. */
  duplicates: number;
  duplicateAccepts: number;
  /**
   * The first DUPLICATE_IDS_IN_COUNTS (100) of those apns-ids, lowercase, in the order they became
   * duplicates; all of them while `duplicates` ≤ 100. More through duplicateIds() / GET /duplicates.
   */
  duplicateIds: string[];
  connectionsOpened: number;
  connectionsActive: number;
  goawaysSent: number;
  /** Connections the server ended: sent a GOAWAY (any reason) or reset by the resetRate fault. */
  connectionsBroken: number;
  /** Times dropStreamsOnReject lowered a connection's stream limit to 1. */
  streamLimitDrops: number;
  resetsDone: number;
  resetsAfterAccept: number;
  refusedStreams: number;
};

/**
 * A page of the apns-ids accepted more than once, lowercase, in the order they became duplicates.
 * `total` = counts().duplicates; only the first 10,000 are kept (`retained` = how many are), so
 * `ids` is [offset, min(offset + limit, retained)) of that list and `total > retained` means some are missing.
 */
export type DuplicateIds = { total: number; retained: number; offset: number; ids: string[] };

export type RecentNotification = {
  at: number;
  apnsId: string;
  token: string;
  topic: string | null;
  pushType: string | null;
  priority: string | null;
  status: number;
  reason?: string;
  bytes: number;
  payload: string;
};

export type Simulator = {
  readonly port: number;
  readonly host: string;
  readonly url: string;
  readonly caPem: string;
  readonly adminPort: number | null;
  readonly mode: SimulatorMode;
  registerKey(key: SimulatorKey): void;
  removeKey(keyId: string): void;
  addClientCa(pem: string): void;
  registerToken(token: string, info: { topic?: string; environment?: SimulatorMode }): void;
  setTokenTopic(token: string, topic: string): void;
  markUnregistered(token: string, timestampMs?: number): void;
  markExpired(token: string): void;
  markBad(token: string): void;
  tooManyRequestsFor(token: string, on?: boolean): void;
  clearTokens(): void;
  setFaults(faults: Partial<SimulatorFaults>): void;
  faults(): SimulatorFaults;
  counts(): SimulatorCounts;
  tokenCounts(token: string): TokenCounts;
  recent(limit?: number): RecentNotification[];
  /** apns-ids accepted more than once, in the order they became duplicates (see DuplicateIds). */
  duplicateIds(options?: { offset?: number; limit?: number }): DuplicateIds;
  resetCounts(): void;
  close(): Promise<void>;
};
