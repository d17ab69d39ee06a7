// One long-lived HTTP/2 connection to APNs (docs/apns.md §1, §8).
// - Apple treats rapid connect/disconnect as denial of service: keep it open, PING when idle.
// - Honour SETTINGS_MAX_CONCURRENT_STREAMS as the server changes it (1 until the first
//   authenticated success, then more): `capacity` never exceeds what the server allows.
// - GOAWAY: streams up to lastStreamId finish; later ones were never processed ("Refused").
// A request resolves to a RawResult and never rejects.

import http2 from "node:http2";

import type { ClientTlsMaterial, ResolvedEndpoint } from "./credentials";
import { InFlight, type RawCallback, type RawFailure } from "./in-flight";
import { classifyTransportError } from "./transport-reasons";

export type { RawFailure, RawResponse, RawResult } from "./in-flight";

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

export type ConnectionState = "connecting" | "ready" | "draining" | "closed";

export class ApnsConnection {
  state: ConnectionState = "connecting";
  /** Set when the connection failed before it was ever ready. */
  connectError: RawFailure | null = null;
  /** The reason in the server's GOAWAY debug data, e.g. "Shutdown" or "IdleTimeout". */
  goawayReason: string | null = null;
  readonly #session: http2.ClientHttp2Session;
  readonly #options: ConnectionOptions;
  readonly #inFlight: InFlight;
  #serverMaxStreams = 1;
  #ping: NodeJS.Timeout | null = null;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    this.#inFlight = new InFlight(options.onChange);
    const { endpoint, tls } = options;
    this.#session = http2.connect(endpoint.authority, <http2.SecureClientSessionOptions>{
      host: endpoint.host,
      port: endpoint.port,
      servername: endpoint.servername,
      ...tls,
      // Until the server's SETTINGS arrive assume one stream: APNs allows only one before the first success.
      peerMaxConcurrentStreams: 1,
      settings: { enablePush: false },
      // Many small frames each way: Nagle's algorithm plus delayed ACKs would stall them.
      noDelay: true,
    });
    const connectTimer = setTimeout(() => {
      this.#fail(Object.assign(new Error("connect timeout"), { code: "ETIMEDOUT" }));
    }, options.connectTimeoutMs);
    connectTimer.unref();

    this.#session.once("connect", () => {
      clearTimeout(connectTimer);
      if (this.state !== "connecting") return;
      this.state = "ready";
      this.#readSettings();
      this.#startPing();
      options.onChange();
    });
    this.#session.on("remoteSettings", () => this.#readSettings());
    this.#session.on("goaway", (_code, lastStreamId, data) => this.#onGoaway(lastStreamId, data));
    this.#session.on("error", (error) => this.#fail(error));
    this.#session.once("close", () => {
      clearTimeout(connectTimer);
      this.#closed();
    });
  }

  /** How many more streams may be opened now. */
  get capacity(): number {
    if (this.state !== "ready") return 0;

    return Math.max(0, Math.min(this.#serverMaxStreams, this.#options.maxStreams) - this.active);
  }

  /** Streams in flight. */
  get active(): number {
    return this.#inFlight.size;
  }

  /** Send one request; `done` gets exactly one result, a response or a classified failure. */
  request(
    headers: http2.OutgoingHttpHeaders,
    body: Uint8Array,
    timeoutMs: number,
    done: RawCallback,
  ): void {
    this.#inFlight.start(this.#session, headers, body, timeoutMs, done);
  }

  /** Stop taking new streams; close once the in-flight ones finish. */
  retire(): void {
    if (this.state === "ready" || this.state === "connecting") {
      this.state = "draining";
      if (!this.#session.closed) this.#session.close();
      this.#options.onChange();
    }
  }

  /** Close gracefully; after `graceMs` in-flight streams are cut. */
  close(graceMs = 5000): Promise<void> {
    if (this.state === "closed") return Promise.resolve();

    return new Promise((resolve) => {
      const force = setTimeout(() => this.#session.destroy(), graceMs);
      force.unref();
      this.#session.once("close", () => {
        clearTimeout(force);
        resolve();
      });
      this.retire();
      if (this.state === "connecting") this.#session.destroy();
    });
  }

  #readSettings(): void {
    const max = this.#session.remoteSettings?.maxConcurrentStreams;
    // HTTP/2: an absent setting means "no limit"; our own maxStreams still applies.
    this.#serverMaxStreams = max === undefined ? Number.POSITIVE_INFINITY : max;
    this.#options.onChange();
  }

  #onGoaway(lastStreamId: number, data: Buffer | undefined): void {
    this.#inFlight.goawayLastStreamId = lastStreamId;
    try {
      const reason =
        data && data.length > 0
          ? (JSON.parse(data.toString("utf8")) as { reason?: unknown }).reason
          : undefined;
      if (typeof reason === "string") this.goawayReason = reason;
    } catch {
      // Debug data is optional and free-form; the GOAWAY itself is what matters.
    }
    if (this.state !== "closed") this.state = "draining";
    this.#options.onChange();
  }

  #startPing(): void {
    // Keep the connection alive through idle periods; a failed PING means it is dead.
    this.#ping = setInterval(() => {
      if (this.#session.closed || this.#session.destroyed) return;
      try {
        this.#session.ping((error) => {
          if (error && !this.#session.destroyed) this.#session.destroy(error);
        });
      } catch {
        // Too many outstanding pings: the peer is not answering.
        this.#session.destroy();
      }
    }, this.#options.pingIntervalMs);
    this.#ping.unref();
  }

  #fail(error: unknown): void {
    if (this.state === "connecting") {
      const reason = classifyTransportError(error, false);
      this.connectError = {
        kind: "failure",
        reason: reason === "ConnectionLost" ? "ConnectionError" : reason,
        error,
      };
    }
    if (!this.#session.destroyed) this.#session.destroy();
  }

  #closed(): void {
    if (this.state === "connecting" && !this.connectError) {
      this.connectError = { kind: "failure", reason: "ConnectionError" };
    }
    this.state = "closed";
    if (this.#ping) clearInterval(this.#ping);
    this.#inFlight.stop();
    this.#options.onChange();
  }
}
