// One long-lived HTTP/2 connection to APNs (docs/apns.md §1, §8).
// - Apple treats rapid connect/disconnect as denial of service: keep it open, PING when idle.
// - Honour SETTINGS_MAX_CONCURRENT_STREAMS as the server changes it (1 until the first
//   authenticated success, then more): `capacity` never exceeds what the server allows.
// - GOAWAY: streams up to lastStreamId finish; later ones were never processed ("Refused").
// A request resolves to a RawResult and never rejects.

import http2 from "node:http2";

import type { ClientTlsMaterial, ResolvedEndpoint } from "./credentials";
import { classifyTransportError, type TransportReason } from "./transport-reasons";

const { NGHTTP2_REFUSED_STREAM, NGHTTP2_CANCEL } = http2.constants;

export type RawResponse = {
  kind: "response";
  status: number;
  apnsId?: string;
  apnsUniqueId?: string;
  retryAfter?: string;
  body: string;
};

export type RawFailure = {
  kind: "failure";
  reason: Exclude<TransportReason, "InvalidRequest" | "CredentialError">;
  error?: unknown;
};

export type RawResult = RawResponse | RawFailure;

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
  active = 0;
  /** Set when the connection failed before it was ever ready. */
  connectError: RawFailure | null = null;
  /** The reason in the server's GOAWAY debug data, e.g. "Shutdown" or "IdleTimeout". */
  goawayReason: string | null = null;
  readonly #session: http2.ClientHttp2Session;
  readonly #options: ConnectionOptions;
  #serverMaxStreams = 1;
  #goawayLastStreamId = Number.POSITIVE_INFINITY;
  #ping: NodeJS.Timeout | null = null;

  constructor(options: ConnectionOptions) {
    this.#options = options;
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

  /** Send one request; resolves once, with a response or a classified failure. */
  request(headers: http2.OutgoingHttpHeaders, body: Uint8Array, timeoutMs: number): Promise<RawResult> {
    this.active++;

    return new Promise<RawResult>((resolve) => {
      let stream!: http2.ClientHttp2Stream;
      let status = 0;
      let responseHeaders: http2.IncomingHttpHeaders = {};
      let ended = false;
      let settled = false;
      let streamError: unknown;
      const chunks: Buffer[] = [];
      const finish = (result: RawResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.active--;
        resolve(result);
        this.#options.onChange();
      };
      const timer = setTimeout(() => {
        finish({ kind: "failure", reason: "Timeout" });
        if (!stream.destroyed) stream.close(NGHTTP2_CANCEL);
      }, timeoutMs);

      try {
        stream = this.#session.request(headers, { endStream: false });
      } catch (error) {
        // The session closed between our capacity check and now: nothing was sent.
        finish({ kind: "failure", reason: "Refused", error });

        return;
      }
      stream.on("response", (h) => {
        responseHeaders = h;
        status = Number(h[":status"]);
      });
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => (ended = true));
      stream.on("error", (error) => (streamError = error));
      stream.on("close", () => {
        if (status !== 0 && (ended || status === 200)) {
          finish({
            kind: "response",
            status,
            apnsId: responseHeaders["apns-id"] as string | undefined,
            apnsUniqueId: responseHeaders["apns-unique-id"] as string | undefined,
            retryAfter: responseHeaders["retry-after"] as string | undefined,
            body: chunks.length === 0 ? "" : Buffer.concat(chunks).toString("utf8"),
          });
        } else {
          finish({ kind: "failure", reason: this.#lostStreamReason(stream, streamError), error: streamError });
        }
      });
      stream.end(body);
    });
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

  #lostStreamReason(stream: http2.ClientHttp2Stream, error: unknown): RawFailure["reason"] {
    // A stream the server refused, never got an id, or lies above GOAWAY's lastStreamId was never processed.
    if (stream.rstCode === NGHTTP2_REFUSED_STREAM) return "Refused";
    if (stream.id === undefined || stream.id > this.#goawayLastStreamId) return "Refused";
    const reason = classifyTransportError(error, true);

    return reason === "ConnectionError" ? "ConnectionLost" : reason;
  }

  #readSettings(): void {
    const max = this.#session.remoteSettings?.maxConcurrentStreams;
    // HTTP/2: an absent setting means "no limit"; our own maxStreams still applies.
    this.#serverMaxStreams = max === undefined ? Number.POSITIVE_INFINITY : max;
    this.#options.onChange();
  }

  #onGoaway(lastStreamId: number, data: Buffer | undefined): void {
    this.#goawayLastStreamId = lastStreamId;
    try {
      const reason = data && data.length > 0 ? (JSON.parse(data.toString("utf8")) as { reason?: unknown }).reason : undefined;
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
      this.connectError = { kind: "failure", reason: reason === "ConnectionLost" ? "ConnectionError" : reason, error };
    }
    if (!this.#session.destroyed) this.#session.destroy();
  }

  #closed(): void {
    if (this.state === "connecting" && !this.connectError) {
      this.connectError = { kind: "failure", reason: "ConnectionError" };
    }
    this.state = "closed";
    if (this.#ping) clearInterval(this.#ping);
    this.#options.onChange();
  }
}
