// A pool of up to N HTTP/2 connections for one (credential, environment).
// Connections open lazily, one at a time (Apple's DTS: stagger connection setup), only when
// every open connection is at the server's stream limit. Requests beyond the total capacity
// wait in a bounded queue (backpressure) instead of opening unlimited streams.
// A connection that fails to open is retried with exponential back-off.

import type { ApnsRequest, RawFailure, RawResult } from "./connection";
import type { Connection } from "./transport";
import { Queue } from "./queue";

export type PoolOptions = {
  size: number;
  /** New requests waiting for a stream beyond this are answered QueueFull. */
  maxQueued: number;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  createConnection: (onChange: () => void) => Connection;
};

type Job = {
  request: ApnsRequest;
  body: Uint8Array;
  timeoutMs: number;
  resolve: (result: RawResult) => void;
};

export type PoolStats = {
  ready: number;
  connecting: number;
  draining: number;
  active: number;
  queued: number;
  opened: number;
};

export class ConnectionPool {
  readonly #options: PoolOptions;
  readonly #slots: (Connection | null)[];
  readonly #queue = new Queue<Job>();
  #connectFailures = 0;
  #nextConnectAt = 0;
  #reconnectTimer: NodeJS.Timeout | null = null;
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
      this.#queue.push({ request, body, timeoutMs, resolve });
      this.#pump();
    });
  }

  stats(): PoolStats {
    const live = this.#slots.filter((c): c is Connection => c !== null);
    const count = (state: string) => live.filter((c) => c.state === state).length;

    return {
      ready: count("ready"),
      connecting: count("connecting"),
      draining: count("draining"),
      active: live.reduce((sum, c) => sum + c.active, 0),
      queued: this.#queue.length,
      opened: this.#opened,
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    for (const job of this.#queue.drain()) job.resolve({ kind: "failure", reason: "ClientClosed" });
    await Promise.all(this.#slots.map((c) => c?.close()));
  }

  #pump(): void {
    if (this.#pumping || this.#closed) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        const connection = this.#mostCapacity();
        if (!connection) {
          this.#openIfNeeded();
          break;
        }
        const job = this.#queue.shift()!;
        connection.request(job.request, job.body, job.timeoutMs, job.resolve);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #mostCapacity(): Connection | null {
    let best: Connection | null = null;
    for (const connection of this.#slots) {
      if (connection && connection.capacity > (best?.capacity ?? 0)) best = connection;
    }

    return best;
  }

  #openIfNeeded(): void {
    if (this.#slots.some((c) => c?.state === "connecting")) return;
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
    let connection: Connection | undefined = undefined;
    connection = this.#options.createConnection(() => this.#onChange(connection));
    this.#slots[free] = connection;
  }

  #onChange(connection: Connection | undefined): void {
    if (!connection) return;
    if (connection.state === "ready") this.#connectFailures = 0;
    if (connection.state === "closed") {
      const slot = this.#slots.indexOf(connection);
      if (slot !== -1) this.#slots[slot] = null;
      if (connection.connectError) this.#onConnectFailure(connection.connectError);
    }
    this.#schedulePump();
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

  #onConnectFailure(failure: RawFailure): void {
    this.#connectFailures++;
    const step = Math.min(
      this.#options.reconnectMaxMs,
      this.#options.reconnectBaseMs * 2 ** (this.#connectFailures - 1),
    );
    this.#nextConnectAt = Date.now() + step / 2 + Math.random() * (step / 2);
    // With no usable connection, waiting requests would wait for the back-off: hand them back
    // now (their own retry policy decides), rather than letting them sit behind a dead host.
    if (!this.#slots.some((c) => c?.state === "ready")) {
      for (const job of this.#queue.drain()) job.resolve(failure);
    }
  }
}
