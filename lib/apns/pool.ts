// A pool of up to N HTTP/2 connections for one (credential, environment) — docs/apns-sender.md.
// - Connections open lazily, one at a time (Apple: stagger connection setup), only when every open
//   connection is at its stream limit.
// - Apple treats rapid reconnects as abuse: a connection that closes without a single answer
//   (refused at connect, GOAWAY before ready, dropped on its first request) counts as a failure, and the next one waits an exponential, jittered back-off; any close spaces the next
//   open by at least `reconnectSpacingMs`.
// - Each connection has an adaptive in-flight limit (AIMD) below the server's
//   SETTINGS_MAX_CONCURRENT_STREAMS: halved when the server refuses, throttles or resets, one more
//   stream per success. A connection that just broke is replaced by one that starts small, so a
//   reset never loses a thousand streams at once.
// - Requests beyond the total capacity wait in a bounded queue (backpressure), each until its own
//   deadline; one that never got a stream ends as NotSent.
// - A 503 Shutdown without GOAWAY retires its connection: resends go to a fresh one.
// - A GOAWAY (or connect failure) with a reason that retrying cannot fix (e.g. InvalidProviderToken)
//   fails the waiting requests with it, instead of reconnecting in a loop.

import type { ApnsRequest, RawFailure, RawResult } from "./connection";
import { parseErrorBody } from "./outcome";
import { APNS_REASONS, isApnsReason, isRetryable } from "./reasons";
import { Queue } from "./queue";
import type { Connection } from "./transport";
import { classifyTransportError } from "./transport-reasons";

export type PoolOptions = {
  size: number;
  /** New requests waiting for a stream beyond this are answered QueueFull. */
  maxQueued: number;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  /** Least time between two connection opens after a connection closed. */
  reconnectSpacingMs?: number;
  /** In-flight limit a new connection starts with (AIMD), below `maxStreams`. */
  initialStreams?: number;
  /** Highest in-flight limit per connection. */
  maxStreams: number;
  createConnection: (onChange: () => void) => Connection;
};

export type PoolStats = {
  ready: number;
  connecting: number;
  draining: number;
  active: number;
  queued: number;
  /** Connections opened since the pool started. */
  opened: number;
  /** Connections that closed without a single answer (each one delays the next open). */
  failedConnections: number;
};

/** What the pool keeps per connection. */
type Slot = {
  connection: Connection;
  openedAt: number;
  /** HTTP answers of any status: the server processes requests on this connection. */
  answered: number;
  /** AIMD in-flight limit. */
  limit: number;
  /** Completions counted when the limit was last cut: one cut per round trip of streams. */
  cutAt: number;
  completions: number;
};

class Job {
  slot: Slot | null = null;

  constructor(
    readonly pool: ConnectionPool,
    readonly request: ApnsRequest,
    readonly body: Uint8Array,
    readonly deadline: number,
    readonly resolve: (result: RawResult) => void,
  ) {}

  /** The connection's callback: one per job, no closure per attempt. */
  readonly done = (result: RawResult): void => this.pool.onResult(this, result);
}

const NOT_SENT: RawFailure = { kind: "failure", reason: "NotSent" };

export class ConnectionPool {
  readonly #options: PoolOptions;
  readonly #slots: (Slot | null)[];
  readonly #queue = new Queue<Job>();
  #connectFailures = 0;
  #failedConnections = 0;
  #nextConnectAt = 0;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #sweep: NodeJS.Timeout | null = null;
  #closed = false;
  #pumping = false;
  #pumpScheduled = false;
  #opened = 0;

  constructor(options: PoolOptions) {
    this.#options = options;
    this.#slots = Array.from({ length: Math.max(1, options.size) }, () => null);
  }

  /**
   * Queue one request for the next free stream. `resend` requests (retries of work already
   * admitted) skip the queue bound, so backpressure never drops them.
   */
  request(
    request: ApnsRequest,
    body: Uint8Array,
    timeoutMs: number,
    resend = false,
  ): Promise<RawResult> {
    if (this.#closed) return Promise.resolve({ kind: "failure", reason: "ClientClosed" });
    if (!resend && this.#queue.length >= this.#options.maxQueued) {
      return Promise.resolve({ kind: "failure", reason: "QueueFull" });
    }

    return new Promise((resolve) => {
      // Resends keep FIFO order too: pushing them to the front would reverse each lost batch
      // and starve the middle of it when connections keep failing.
      this.#queue.push(new Job(this, request, body, Date.now() + timeoutMs, resolve));
      this.#pump();
      if (this.#queue.length > 0) this.#startSweep(timeoutMs);
    });
  }

  stats(): PoolStats {
    const live = this.#slots.filter((s): s is Slot => s !== null).map((s) => s.connection);
    const count = (state: string) => live.filter((c) => c.state === state).length;

    return {
      ready: count("ready"),
      connecting: count("connecting"),
      draining: count("draining"),
      active: live.reduce((sum, c) => sum + c.active, 0),
      queued: this.#queue.length,
      opened: this.#opened,
      failedConnections: this.#failedConnections,
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    if (this.#sweep) clearInterval(this.#sweep);
    for (const job of this.#queue.drain()) job.resolve({ kind: "failure", reason: "ClientClosed" });
    await Promise.all(this.#slots.map((s) => s?.connection.close()));
  }

  /** A connection's answer for `job` (called by the connection; not for other callers). */
  onResult(job: Job, result: RawResult): void {
    const slot = job.slot;
    if (slot) {
      slot.completions++;
      if (result.kind === "response") {
        slot.answered++;
        if (result.status < 500 && result.status !== 429) {
          if (slot.limit < this.#options.maxStreams) slot.limit++;
        } else {
          this.#cut(slot);
          // 503 Shutdown without a GOAWAY: this connection is going away; never resend on it.
          if (result.status === 503 && parseErrorBody(result.body).reason === "Shutdown") {
            slot.connection.retire();
          }
        }
      } else if (result.reason === "Refused" || result.reason === "Timeout") {
        this.#cut(slot);
      }
    }
    job.resolve(result);
  }

  #cut(slot: Slot): void {
    // Multiplicative decrease, once per round of in-flight streams (a burst of refusals is one signal).
    if (slot.completions - slot.cutAt < slot.connection.active) return;
    slot.cutAt = slot.completions;
    slot.limit = Math.max(1, Math.floor(slot.limit / 2));
  }

  #capacity(slot: Slot): number {
    const { connection } = slot;

    return Math.min(connection.capacity, slot.limit - connection.active);
  }

  #pump(): void {
    if (this.#pumping || this.#closed) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        const slot = this.#mostCapacity();
        if (!slot) {
          this.#openIfNeeded();
          break;
        }
        const job = this.#queue.shift()!;
        const timeoutMs = job.deadline - Date.now();
        if (timeoutMs <= 0) {
          job.resolve(NOT_SENT);
          continue;
        }
        job.slot = slot;
        slot.connection.request(job.request, job.body, timeoutMs, job.done);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #mostCapacity(): Slot | null {
    let best: Slot | null = null;
    let bestCapacity = 0;
    for (const slot of this.#slots) {
      if (!slot) continue;
      const capacity = this.#capacity(slot);
      if (capacity > bestCapacity) {
        best = slot;
        bestCapacity = capacity;
      }
    }

    return best;
  }

  #openIfNeeded(): void {
    if (this.#slots.some((s) => s?.connection.state === "connecting")) return;
    const free = this.#slots.indexOf(null);
    if (free === -1) return;
    const wait = this.#nextConnectAt - Date.now();
    if (wait > 0) {
      this.#reconnectTimer ??= setTimeout(() => {
        this.#reconnectTimer = null;
        this.#pump();
      }, wait);

      return;
    }
    this.#opened++;
    // Connections report changes only from I/O events, after this assignment.
    const slot: Slot = {
      connection: null as unknown as Connection,
      openedAt: Date.now(),
      answered: 0,
      limit: Math.min(this.#options.initialStreams ?? 16, this.#options.maxStreams),
      cutAt: Number.NEGATIVE_INFINITY,
      completions: 0,
    };
    try {
      slot.connection = this.#options.createConnection(() => this.#onChange(slot));
    } catch (error) {
      // tls.connect throws synchronously on a bad PEM, an unreadable .p12 or a bad port: a
      // failed connection like any other, never an exception out of send().
      const reason = classifyTransportError(error, false);
      this.#onConnectionFailed({
        kind: "failure",
        reason: reason === "ConnectionLost" ? "ConnectionError" : reason,
        error,
      });

      return;
    }
    this.#slots[free] = slot;
  }

  #onChange(slot: Slot): void {
    const { connection } = slot;
    if (connection.state === "closed") {
      const at = this.#slots.indexOf(slot);
      if (at === -1) return;
      this.#slots[at] = null;
      this.#onClosed(slot);
    }
    this.#schedulePump();
  }

  #onClosed(slot: Slot): void {
    const { connection } = slot;
    const fatal = fatalGoaway(connection);
    if (connection.connectError || fatal || slot.answered === 0) {
      this.#onConnectionFailed(
        fatal ?? connection.connectError ?? { kind: "failure", reason: "ConnectionError" },
      );

      return;
    }
    this.#connectFailures = 0;
    const spacing = this.#options.reconnectSpacingMs ?? 0;
    this.#nextConnectAt = Math.max(this.#nextConnectAt, Date.now() + spacing);
  }

  /**
   * Streams finish in bursts (one socket read carries many responses). Refill once per burst,
   * after the I/O callbacks, so the new HEADERS frames go out together instead of one write each.
   */
  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #onConnectionFailed(failure: RawFailure): void {
    this.#connectFailures++;
    this.#failedConnections++;
    const step = Math.min(
      this.#options.reconnectMaxMs,
      this.#options.reconnectBaseMs * 2 ** (this.#connectFailures - 1),
    );
    this.#nextConnectAt = Date.now() + step / 2 + Math.random() * (step / 2);
    // With no usable connection, waiting requests would wait for the back-off: hand them back
    // now (their own retry policy decides), rather than letting them sit behind a dead host.
    if (!this.#slots.some((s) => s?.connection.state === "ready")) {
      for (const job of this.#queue.drain()) job.resolve(failure);
    }
  }

  /** While requests wait, one timer ends those whose deadline passed (the queue has no other clock). */
  #startSweep(timeoutMs: number): void {
    if (this.#sweep) return;
    const every = Math.min(1000, Math.max(10, Math.floor(timeoutMs / 10)));
    this.#sweep = setInterval(() => {
      if (this.#queue.length === 0) {
        clearInterval(this.#sweep!);
        this.#sweep = null;

        return;
      }
      const now = Date.now();
      const waiting = this.#queue.drain();
      for (const job of waiting) {
        if (job.deadline <= now) job.resolve(NOT_SENT);
        else this.#queue.push(job);
      }
    }, every);
    this.#sweep.unref();
  }
}

/** A GOAWAY whose reason retrying cannot fix (a credential or request problem), as a failure. */
function fatalGoaway(connection: Connection): RawFailure | null {
  const goaway = connection.goaway;
  const reason = goaway?.reason;
  if (!isApnsReason(reason) || isRetryable(APNS_REASONS[reason].action)) return null;

  return { kind: "failure", reason: "Refused", goaway: goaway! };
}
