// The streams in flight on one HTTP/2 connection: start them, turn each into exactly one RawResult,
// time them out. This is the sender's per-notification hot path, so it is written for low CPU and
// few allocations (profiles of the benchmark, scripts/bench-apns.ts):
// - one plain object per request and listeners shared by all streams (no closures per request);
// - no timer per request: one periodic sweep per connection enforces every deadline;
// - a 200 that ends with its HEADERS frame (APNs' success) gets no 'data' listener, so the stream
//   never switches to flowing mode and no body buffers are created.

import http2 from "node:http2";

import { classifyTransportError, type TransportReason } from "./transport-reasons";

const { NGHTTP2_REFUSED_STREAM, NGHTTP2_CANCEL, NGHTTP2_FLAG_END_STREAM } = http2.constants;

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

export type RawCallback = (result: RawResult) => void;

// Node copies the options object per request, so one shared instance is safe.
const REQUEST_OPTIONS: http2.ClientSessionRequestOptions = { endStream: false };
const TIMEOUT: RawFailure = { kind: "failure", reason: "Timeout" };
const PENDING = Symbol("apns.pending");

type TrackedStream = http2.ClientHttp2Stream & { [PENDING]: Pending };

class Pending {
  status = 0;
  headers: http2.IncomingHttpHeaders | null = null;
  chunks: Buffer[] | null = null;
  error: unknown = undefined;
  stream: http2.ClientHttp2Stream | null = null;
  constructor(
    readonly owner: InFlight,
    readonly deadline: number,
    readonly done: RawCallback,
  ) {}
}

function onResponse(this: TrackedStream, headers: http2.IncomingHttpHeaders, flags: number): void {
  const pending = this[PENDING];
  pending.headers = headers;
  pending.status = Number(headers[":status"]);
  // A body can follow only if HEADERS did not end the stream (APNs: error JSON, never on a 200).
  if ((flags & NGHTTP2_FLAG_END_STREAM) === 0) {
    pending.chunks = [];
    this.on("data", onData);
  }
}

function onData(this: TrackedStream, chunk: Buffer): void {
  this[PENDING].chunks!.push(chunk);
}

function onError(this: TrackedStream, error: unknown): void {
  this[PENDING].error = error;
}

function onClose(this: TrackedStream): void {
  const pending = this[PENDING];
  const { status, headers } = pending;
  // A non-200 counts only with its whole body (readableEnded); a 200 needs nothing more.
  if (status !== 0 && headers && (status === 200 || this.readableEnded)) {
    const chunks = pending.chunks;
    pending.owner.settle(pending, {
      kind: "response",
      status,
      apnsId: headers["apns-id"] as string | undefined,
      apnsUniqueId: headers["apns-unique-id"] as string | undefined,
      retryAfter: headers["retry-after"] as string | undefined,
      body:
        !chunks || chunks.length === 0
          ? ""
          : (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString("utf8"),
    });
  } else {
    pending.owner.settle(pending, {
      kind: "failure",
      reason: pending.owner.lostReason(this, pending.error),
      error: pending.error,
    });
  }
}

export class InFlight {
  /** GOAWAY's lastStreamId: streams above it were never processed. */
  goawayLastStreamId = Number.POSITIVE_INFINITY;
  readonly #pending = new Set<Pending>();
  readonly #onSettled: () => void;
  #sweep: NodeJS.Timeout | null = null;

  constructor(onSettled: () => void) {
    this.#onSettled = onSettled;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Open a stream and send; `done` is called exactly once (synchronously only if the session refuses at once). */
  start(
    session: http2.ClientHttp2Session,
    headers: http2.OutgoingHttpHeaders,
    body: Uint8Array,
    timeoutMs: number,
    done: RawCallback,
  ): void {
    const pending = new Pending(this, Date.now() + timeoutMs, done);
    this.#pending.add(pending);
    if (this.#sweep === null) this.#startSweep(timeoutMs);
    let stream: http2.ClientHttp2Stream;
    try {
      stream = session.request(headers, REQUEST_OPTIONS);
    } catch (error) {
      // The session closed between the caller's capacity check and now: nothing was sent.
      this.settle(pending, { kind: "failure", reason: "Refused", error });

      return;
    }
    pending.stream = stream;
    (stream as TrackedStream)[PENDING] = pending;
    stream.on("response", onResponse);
    stream.on("error", onError);
    stream.on("close", onClose);
    stream.end(body);
  }

  /** The first result wins (a timeout, then the stream's close, reports once). */
  settle(pending: Pending, result: RawResult): void {
    if (!this.#pending.delete(pending)) return;
    pending.done(result);
    this.#onSettled();
  }

  lostReason(stream: http2.ClientHttp2Stream, error: unknown): RawFailure["reason"] {
    // A stream the server refused, never got an id, or lies above GOAWAY's lastStreamId was never processed.
    if (stream.rstCode === NGHTTP2_REFUSED_STREAM) return "Refused";
    if (stream.id === undefined || stream.id > this.goawayLastStreamId) return "Refused";
    const reason = classifyTransportError(error, true);

    return reason === "ConnectionError" ? "ConnectionLost" : reason;
  }

  stop(): void {
    if (this.#sweep) clearInterval(this.#sweep);
    this.#sweep = null;
  }

  /** One timer per connection while streams are in flight; deadlines fire up to a tenth of the timeout late. */
  #startSweep(timeoutMs: number): void {
    const every = Math.min(1000, Math.max(10, Math.floor(timeoutMs / 10)));
    this.#sweep = setInterval(() => {
      if (this.#pending.size === 0) return this.stop();
      const now = Date.now();
      for (const pending of this.#pending) {
        if (pending.deadline > now) continue;
        this.settle(pending, TIMEOUT);
        const stream = pending.stream;
        if (stream && !stream.destroyed) stream.close(NGHTTP2_CANCEL);
      }
    }, every);
    this.#sweep.unref();
  }
}
