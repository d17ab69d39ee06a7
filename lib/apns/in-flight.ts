// The streams in flight on one connection: each turns into exactly one RawResult. This is the
// sender's per-notification hot path, so a stream is one small object, responses are built only
// from the headers APNs defines, and one periodic sweep per connection enforces every deadline
// (no timer per request).

import type { GoawayInfo } from "./transport";
import type { TransportReason } from "./transport-reasons";

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
  /** The server's GOAWAY, when the stream ended because of it. */
  goaway?: GoawayInfo;
};

export type RawResult = RawResponse | RawFailure;

export type RawCallback = (result: RawResult) => void;

/** Response bodies beyond this are dropped (APNs' error bodies are a few dozen bytes). */
const MAX_BODY_BYTES = 64 * 1024;

export class Stream {
  /** Final (non-1xx) :status, 0 until the response headers arrive. */
  status = 0;
  apnsId: string | undefined = undefined;
  apnsUniqueId: string | undefined = undefined;
  retryAfter: string | undefined = undefined;
  body: Buffer[] | null = null;
  bodyBytes = 0;
  /** Flow control: what we may still send, and what we received since our last WINDOW_UPDATE. */
  sendWindow: number;
  received = 0;
  /** Request body not yet sent (waiting for a window), from `unsentOffset`. */
  unsent: Uint8Array | null = null;
  unsentOffset = 0;

  constructor(
    readonly id: number,
    readonly deadline: number,
    readonly done: RawCallback,
    sendWindow: number,
  ) {
    this.sendWindow = sendWindow;
  }

  addBody(data: Buffer): void {
    if (this.bodyBytes + data.length > MAX_BODY_BYTES) return;
    (this.body ??= []).push(data);
    this.bodyBytes += data.length;
  }

  response(): RawResponse {
    const body = this.body;

    return {
      kind: "response",
      status: this.status,
      apnsId: this.apnsId,
      apnsUniqueId: this.apnsUniqueId,
      retryAfter: this.retryAfter,
      body:
        body === null ? "" : (body.length === 1 ? body[0] : Buffer.concat(body)).toString("utf8"),
    };
  }
}

export class InFlight {
  readonly #streams = new Map<number, Stream>();
  readonly #onSettled: () => void;
  readonly #onTimeout: (stream: Stream) => void;
  readonly #timeoutResult: (stream: Stream) => RawFailure;
  #sweep: NodeJS.Timeout | null = null;

  /**
   * `timeoutResult` names what a stream that ran out of time became (it depends on what of it was
   * sent); `onTimeout` runs after it was settled (to cancel it on the wire).
   */
  constructor(
    onSettled: () => void,
    onTimeout: (stream: Stream) => void,
    timeoutResult: (stream: Stream) => RawFailure,
  ) {
    this.#onSettled = onSettled;
    this.#onTimeout = onTimeout;
    this.#timeoutResult = timeoutResult;
  }

  get size(): number {
    return this.#streams.size;
  }

  get(id: number): Stream | undefined {
    return this.#streams.get(id);
  }

  add(stream: Stream, timeoutMs: number): void {
    this.#streams.set(stream.id, stream);
    if (this.#sweep === null) this.#startSweep(timeoutMs);
  }

  values(): IterableIterator<Stream> {
    return this.#streams.values();
  }

  /** The first result wins: a stream settles once, whatever arrives later. */
  settle(stream: Stream, result: RawResult): void {
    if (!this.#streams.delete(stream.id)) return;
    stream.done(result);
    this.#onSettled();
  }

  /** Settle every stream, e.g. when the connection is gone. */
  settleAll(resultFor: (stream: Stream) => RawResult): void {
    for (const stream of [...this.#streams.values()]) this.settle(stream, resultFor(stream));
  }

  stop(): void {
    if (this.#sweep) clearInterval(this.#sweep);
    this.#sweep = null;
  }

  /** One timer per connection while streams are in flight; deadlines fire up to a tenth of the timeout late. */
  #startSweep(timeoutMs: number): void {
    const every = Math.min(1000, Math.max(10, Math.floor(timeoutMs / 10)));
    this.#sweep = setInterval(() => {
      if (this.#streams.size === 0) return this.stop();
      const now = Date.now();
      for (const stream of this.#streams.values()) {
        if (stream.deadline > now) continue;
        this.settle(stream, this.#timeoutResult(stream));
        this.#onTimeout(stream);
      }
    }, every);
    this.#sweep.unref();
  }
}
