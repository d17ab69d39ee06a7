// One HTTP/2 connection to APNs on node:http2's client (nghttp2): the sender's second transport,
// for the day Apple's servers and our own framing (connection.ts) disagree. Same behaviour at the
// Connection interface (transport.ts):
// - ready once the server's first SETTINGS arrive; `capacity` follows its
//   SETTINGS_MAX_CONCURRENT_STREAMS (1 until the first authenticated success, then more);
// - GOAWAY: recorded with Apple's reason, the connection drains; streams above lastStreamId were
//   never processed ("Refused", with the GOAWAY);
// - PING when idle, a PING unanswered for a whole interval ends the connection;
// - one sweep per connection enforces the request deadlines (no timer per request).
// A request ends in exactly one RawResult; nothing here throws to the caller or out of a listener.

import http2 from "node:http2";

import type { RawCallback, RawFailure, RawResult } from "./in-flight";
import type { ApnsRequest } from "./request-headers";
import { classifyTransportError } from "./transport-reasons";

import type { Connection, ConnectionOptions, ConnectionState, GoawayInfo } from "./transport";

const { NGHTTP2_REFUSED_STREAM, NGHTTP2_CANCEL, NGHTTP2_FLAG_END_STREAM } = http2.constants;

/** Response bodies beyond this are dropped (as in in-flight.ts: APNs' error bodies are tiny). */
const MAX_BODY_BYTES = 64 * 1024;
/** Our receive window per stream, as the native connection's: APNs never waits on us. */
const STREAM_RECEIVE_WINDOW = 1 << 20;
/**
 * Sent as HPACK literals, never added to the dynamic table (NGHTTP2_NV_FLAG_NO_INDEX). Apple asks
 * for :path and authorization as literals, and for apns-id / apns-expiration / apns-collapse-id
 * to index the name only; nghttp2 cannot index a name without its value, so these are never
 * indexed either rather than churning APNs' small table with a new entry per request.
 */
const SENSITIVE_HEADERS = [
  ":path",
  "authorization",
  "apns-id",
  "apns-expiration",
  "apns-collapse-id",
];
const REFUSED: RawFailure = { kind: "failure", reason: "Refused" };
const TIMEOUT: RawFailure = { kind: "failure", reason: "Timeout" };
/** Timed out before its body was all written: APNs cannot have processed it. */
const NOT_SENT: RawFailure = { kind: "failure", reason: "NotSent" };

/** One request in flight. Listeners are shared by all streams and find it through PENDING. */
class Pending {
  stream: http2.ClientHttp2Stream | null = null;
  status = 0;
  apnsId: string | undefined = undefined;
  apnsUniqueId: string | undefined = undefined;
  retryAfter: string | undefined = undefined;
  body: Buffer[] | null = null;
  bodyBytes = 0;
  /** The response is complete: HEADERS ended the stream, or its body has all arrived. */
  complete = false;
  /** The request body has been written out completely (the stream's writable side finished). */
  sent = false;
  error: unknown = undefined;

  constructor(
    readonly owner: NodeHttp2Connection,
    readonly deadline: number,
    readonly done: RawCallback,
  ) {}
}

const PENDING = Symbol("pushdeck.pending");
type TrackedStream = http2.ClientHttp2Stream & { [PENDING]: Pending };

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function onResponse(
  this: TrackedStream,
  headers: http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader,
  flags: number,
): void {
  const pending = this[PENDING];
  pending.status = Number(headers[":status"]) || 0;
  pending.apnsId = single(headers["apns-id"]);
  pending.apnsUniqueId = single(headers["apns-unique-id"]);
  pending.retryAfter = single(headers["retry-after"]);
  // A body follows only if HEADERS did not end the stream (APNs: error JSON, never on a 200);
  // without a 'data' listener no body buffers are made.
  if (flags & NGHTTP2_FLAG_END_STREAM) {
    pending.complete = true;
  } else {
    this.on("data", onData);
    this.on("end", onEnd);
  }
}

function onData(this: TrackedStream, chunk: Buffer): void {
  const pending = this[PENDING];
  if (pending.bodyBytes + chunk.length > MAX_BODY_BYTES) return;
  (pending.body ??= []).push(chunk);
  pending.bodyBytes += chunk.length;
}

function onEnd(this: TrackedStream): void {
  this[PENDING].complete = true;
}

function onFinish(this: TrackedStream): void {
  this[PENDING].sent = true;
}

function onError(this: TrackedStream, error: unknown): void {
  this[PENDING].error ??= error;
}

function onClose(this: TrackedStream): void {
  const pending = this[PENDING];
  pending.owner.streamClosed(pending);
}

export class NodeHttp2Connection implements Connection {
  state: ConnectionState = "connecting";
  /** Set when the connection failed before it was ever ready. */
  connectError: RawFailure | null = null;
  /** The server's first GOAWAY, with the reason in its debug data (e.g. "Shutdown"). */
  goaway: GoawayInfo | null = null;
  /** close() callers waiting for the end. */
  readonly #whenClosed: (() => void)[] = [];
  readonly #options: ConnectionOptions;
  readonly #session: http2.ClientHttp2Session | null = null;
  readonly #pending = new Set<Pending>();
  #serverMaxStreams = 1;
  #sessionError: unknown = undefined;
  #pingOutstanding = false;
  #ping: NodeJS.Timeout | null = null;
  #sweep: NodeJS.Timeout | null = null;
  #connectTimer: NodeJS.Timeout | null = null;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    const { endpoint, tls: material } = options;
    try {
      this.#session = http2.connect(`https://${endpoint.authority}`, {
        host: endpoint.host,
        port: endpoint.port,
        servername: endpoint.servername,
        ...material,
        pfx: material.pfx ? Buffer.from(material.pfx) : undefined,
        // Until the server's SETTINGS arrive assume one stream: APNs allows only one before the
        // first success (we only send once ready anyway).
        peerMaxConcurrentStreams: 1,
        settings: { enablePush: false, initialWindowSize: STREAM_RECEIVE_WINDOW },
      });
    } catch (error) {
      // Bad TLS material and the like throw at once: a connection that failed to open.
      this.#fail(error);
      this.state = "closed";
      // The pool learns of a connection's changes only after it has been created.
      process.nextTick(() => options.onChange());

      return;
    }
    const session = this.#session;
    this.#connectTimer = setTimeout(() => {
      this.#fail(Object.assign(new Error("connect timeout"), { code: "ETIMEDOUT" }));
    }, options.connectTimeoutMs);
    this.#connectTimer.unref();

    session.once("connect", () => this.#onConnect());
    session.on("remoteSettings", (settings) => this.#onSettings(settings));
    session.on("goaway", (code, lastStreamId, data) => this.#onGoaway(code, lastStreamId, data));
    session.on("error", (error) => this.#fail(error));
    session.on("frameError", () => {}); // the stream or session it concerns reports the failure
    session.once("close", () => this.#closed());
  }

  /** How many more streams may be opened now. */
  get capacity(): number {
    // Once the session is failing its streams end before its 'close' (and our state) follows.
    if (this.state !== "ready" || this.#session?.destroyed !== false) return 0;

    return Math.max(0, Math.min(this.#serverMaxStreams, this.#options.maxStreams) - this.active);
  }

  /** Streams in flight. */
  get active(): number {
    return this.#pending.size;
  }

  /** Send one request; `done` gets exactly one result, a response or a classified failure. */
  request(request: ApnsRequest, body: Uint8Array, timeoutMs: number, done: RawCallback): void {
    const session = this.#session;
    if (this.state !== "ready" || !session || session.closed || session.destroyed) {
      // Closed between the caller's capacity check and now: nothing sent.
      done(REFUSED);

      return;
    }
    const pending = new Pending(this, Date.now() + timeoutMs, done);
    let stream: http2.ClientHttp2Stream;
    try {
      stream = session.request(this.#headersOf(request), { endStream: body.length === 0 });
    } catch (error) {
      // The session refused at once (closing, out of stream ids, a header it will not send):
      // nothing went out.
      if ((error as { code?: unknown })?.code === "ERR_HTTP2_OUT_OF_STREAMS") this.retire();
      done({ ...REFUSED, error });

      return;
    }
    pending.stream = stream;
    (stream as TrackedStream)[PENDING] = pending;
    this.#pending.add(pending);
    if (this.#sweep === null) this.#startSweep(timeoutMs);
    stream.on("response", onResponse);
    stream.on("finish", onFinish);
    stream.on("error", onError);
    stream.on("close", onClose);
    if (body.length > 0) stream.end(body);
  }

  /** Stop taking new streams; close once the in-flight ones finish. */
  retire(): void {
    if (this.state === "connecting") {
      this.state = "draining";
      this.#session?.destroy();
    } else if (this.state === "ready") {
      this.state = "draining";
      this.#endIfIdle();
      this.#options.onChange();
    }
  }

  /** Close gracefully; after `graceMs` in-flight streams are cut. */
  close(graceMs = 5000): Promise<void> {
    const session = this.#session;
    if (this.state === "closed" || !session) return Promise.resolve();

    return new Promise((resolve) => {
      const force = setTimeout(() => {
        session.destroy();
        this.#closed();
      }, graceMs);
      force.unref();
      this.#whenClosed.push(() => {
        clearTimeout(force);
        resolve();
      });
      this.retire();
    });
  }

  /** @internal A stream's 'close' (shared listener): its response if whole, else its loss. */
  streamClosed(pending: Pending): void {
    // A non-200 counts only with its whole body; a 200 needs nothing more.
    if (pending.status !== 0 && (pending.status === 200 || pending.complete)) {
      const body = pending.body;
      this.#settle(pending, {
        kind: "response",
        status: pending.status,
        apnsId: pending.apnsId,
        apnsUniqueId: pending.apnsUniqueId,
        retryAfter: pending.retryAfter,
        body:
          body === null ? "" : (body.length === 1 ? body[0] : Buffer.concat(body)).toString("utf8"),
      });
    } else {
      this.#settle(pending, this.#lostResult(pending));
    }
  }

  #headersOf(request: ApnsRequest): http2.OutgoingHttpHeaders {
    const headers: http2.OutgoingHttpHeaders = {
      ":method": "POST",
      ":scheme": "https",
      ":authority": this.#options.endpoint.authority,
      ":path": request.path,
    };
    if (request.authorization) headers.authorization = request.authorization;
    headers["apns-id"] = request.apnsId;
    const fields = request.headers;
    for (const name in fields) {
      const value = fields[name];
      if (value === undefined || name === "apns-id" || name === "authorization") continue;
      if (name[0] === ":") continue;
      headers[name.toLowerCase()] = String(value);
    }
    (headers as Record<symbol, unknown>)[http2.sensitiveHeaders] = SENSITIVE_HEADERS;

    return headers;
  }

  #onConnect(): void {
    // node:http2 offers only h2 in ALPN; a server that picked nothing does not speak HTTP/2.
    if (this.#session?.alpnProtocol !== "h2") {
      this.#fail(
        Object.assign(new Error("the server does not speak HTTP/2 (ALPN)"), {
          code: "ERR_APNS_NO_H2",
        }),
      );
    }
    // Ready once the server's SETTINGS arrive: only then are its limits known.
  }

  #onSettings(settings: http2.Settings): void {
    // An absent MAX_CONCURRENT_STREAMS means "no limit" (our maxStreams still applies).
    this.#serverMaxStreams = settings.maxConcurrentStreams ?? Number.POSITIVE_INFINITY;
    if (this.state === "connecting") {
      if (this.#connectTimer) clearTimeout(this.#connectTimer);
      this.state = "ready";
      this.#startPing();
    }
    this.#options.onChange();
  }

  #onGoaway(code: number, lastStreamId: number, data: Buffer | undefined): void {
    // A two-phase shutdown sends a second GOAWAY with a lower lastStreamId; the first one's
    // reason (Apple's debug data) is what explains the connection's end.
    if (this.goaway) {
      this.goaway.lastStreamId = Math.min(this.goaway.lastStreamId, lastStreamId);
    } else {
      this.goaway = { code, lastStreamId, reason: goawayReason(data) };
    }
    // node:http2 closes the session itself (gracefully for NO_ERROR, at once otherwise), and
    // nghttp2 ends the streams above lastStreamId with REFUSED_STREAM.
    if (this.state === "connecting" || this.state === "ready") this.state = "draining";
    this.#options.onChange();
  }

  #settle(pending: Pending, result: RawResult): void {
    if (!this.#pending.delete(pending)) return;
    pending.done(result);
    this.#endIfIdle();
    this.#options.onChange();
  }

  /**
   * A draining connection with nothing in flight says goodbye (GOAWAY) and closes. Not before:
   * nghttp2 refuses the streams whose HEADERS are still queued once our GOAWAY is submitted.
   */
  #endIfIdle(): void {
    const session = this.#session;
    if (this.state !== "draining" || this.#pending.size > 0 || !session || session.destroyed)
      return;
    if (!session.closed) session.close();
    // node:http2 destroys a closed session once its last stream is gone, but not always (a
    // session it closed itself after the server's GOAWAY can linger): nothing of ours is in
    // flight, so end it if it is still there a moment later.
    setImmediate(() => {
      if (this.#pending.size > 0) return;
      if (!session.destroyed) session.destroy();
      // Its "close" event may come late, or (seen after a server GOAWAY) not at all.
      this.#closed();
    });
  }

  /** What a stream that got no (complete) answer became. */
  #lostResult(pending: Pending): RawFailure {
    const stream = pending.stream;
    const id = stream?.id;
    const goaway = this.goaway;
    // Above GOAWAY's lastStreamId, refused, or never given an id: never processed. After a
    // GOAWAY, a refused stream (by the server, or by nghttp2 as the session closes) carries it.
    if (goaway && id !== undefined && id > goaway.lastStreamId) return { ...REFUSED, goaway };
    if (stream?.rstCode === NGHTTP2_REFUSED_STREAM || id === undefined) {
      return goaway ? { ...REFUSED, goaway } : REFUSED;
    }
    const error = pending.error ?? this.#sessionError;
    const reason = classifyTransportError(error, true);
    const failure: RawFailure = {
      kind: "failure",
      reason: reason === "ConnectionError" ? "ConnectionLost" : reason,
      error,
    };
    // A GOAWAY with an error code ends the whole session: its streams ended because of it.
    if (goaway && goaway.code !== 0) failure.goaway = goaway;

    return failure;
  }

  /** One timer per connection while streams are in flight; deadlines fire up to a tenth of the timeout late. */
  #startSweep(timeoutMs: number): void {
    const every = Math.min(1000, Math.max(10, Math.floor(timeoutMs / 10)));
    this.#sweep = setInterval(() => {
      if (this.#pending.size === 0) return this.#stopSweep();
      const now = Date.now();
      for (const pending of this.#pending) {
        if (pending.deadline > now) continue;
        this.#settle(pending, pending.sent ? TIMEOUT : NOT_SENT);
        // Stop it on the wire too (RST_STREAM CANCEL).
        const stream = pending.stream;
        if (stream && !stream.closed && !stream.destroyed) {
          try {
            stream.close(NGHTTP2_CANCEL);
          } catch {
            // The session is already gone: nothing to cancel.
          }
        }
      }
    }, every);
    this.#sweep.unref();
  }

  #stopSweep(): void {
    if (this.#sweep) clearInterval(this.#sweep);
    this.#sweep = null;
  }

  #startPing(): void {
    // Keep the connection alive through idle periods; a PING unanswered for a whole interval means it is dead.
    this.#ping = setInterval(() => {
      const session = this.#session;
      if (!session || session.closed || session.destroyed) return;
      if (this.#pingOutstanding) {
        this.#fail(Object.assign(new Error("PING not answered"), { code: "ETIMEDOUT" }));

        return;
      }
      this.#pingOutstanding = true;
      try {
        session.ping((error) => {
          if (!error) this.#pingOutstanding = false;
        });
      } catch (error) {
        this.#fail(error);
      }
    }, this.#options.pingIntervalMs);
    this.#ping.unref();
  }

  #fail(error: unknown): void {
    this.#sessionError ??= error;
    if (this.state === "connecting" && !this.connectError) {
      const reason = classifyTransportError(error, false);
      this.connectError = {
        kind: "failure",
        reason: reason === "ConnectionLost" ? "ConnectionError" : reason,
        error,
      };
    }
    const session = this.#session;
    if (session && !session.destroyed) session.destroy();
  }

  #closed(): void {
    if (this.state === "closed") return;
    for (const resolve of this.#whenClosed.splice(0)) resolve();
    if (this.#connectTimer) clearTimeout(this.#connectTimer);
    if (this.state === "connecting" && !this.connectError) {
      this.connectError = { kind: "failure", reason: "ConnectionError", error: this.#sessionError };
    }
    this.state = "closed";
    if (this.#ping) clearInterval(this.#ping);
    for (const pending of [...this.#pending]) this.#settle(pending, this.#lostResult(pending));
    this.#stopSweep();
    this.#options.onChange();
  }
}

/** Apple puts `{"reason": "…"}` in GOAWAY's debug data; it is optional and free-form. */
function goawayReason(data: Buffer | undefined): string | undefined {
  if (!data || data.length === 0) return undefined;
  try {
    const reason = (JSON.parse(data.toString("utf8")) as { reason?: unknown }).reason;

    return typeof reason === "string" ? reason : undefined;
  } catch {
    return undefined;
  }
}
