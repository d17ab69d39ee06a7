// ApnsClient: send notifications for one (credential, environment) over a pool of HTTP/2
// connections, with the shared provider token, local validation and the retry table.
// `send` and `sendMany` share one path; neither ever rejects.

import { randomUUID } from "node:crypto";
import type http2 from "node:http2";

import { ApnsConnection } from "./connection";
import { resolveEndpoint, tlsMaterialFor, type ApnsCredential, type ApnsEnvironment } from "./credentials";
import { actionFor, parseErrorBody, type Notification, type NotificationOutcome, type SendOutcome } from "./outcome";
import { validateRequest } from "./payload";
import type { Issue } from "./payload-types";
import { ConnectionPool, type PoolStats } from "./pool";
import { ProviderTokenSource, type ProviderToken } from "./provider-token";
import type { ProviderTokenStore } from "./provider-token-store";
import { DEFAULT_RETRY_OPTIONS, decideRetry, parseRetryAfter, type RetryOptions } from "./retry";
import { sendMany, type SendManyOptions } from "./send-many";
import { checkDeviceToken } from "./header-checks";

export type ApnsClientOptions = {
  credential: ApnsCredential;
  environment: ApnsEnvironment;
  /** HTTP/2 connections in the pool, opened only as load needs them. */
  connections?: number;
  /** Our ceiling per connection, below the server's SETTINGS_MAX_CONCURRENT_STREAMS. */
  maxStreamsPerConnection?: number;
  /** Requests waiting for a stream beyond this are answered QueueFull (backpressure). */
  maxQueued?: number;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Idle keep-alive; node-apn pings every 60 s. */
  pingIntervalMs?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  retry?: Partial<RetryOptions>;
  /** Refuse locally what APNs would refuse (default true). */
  validate?: boolean;
  /** Share the provider token across processes (token auth). */
  tokenStore?: ProviderTokenStore;
  /** Clock for provider tokens (ms). */
  now?: () => number;
  /** Default in-flight window of sendMany. */
  sendManyWindow?: number;
};

type Attempt = { reason: string; status: number };

export class ApnsClient {
  readonly #options: ApnsClientOptions;
  readonly #pool: ConnectionPool;
  readonly #tokens: ProviderTokenSource | null;
  readonly #retry: RetryOptions;
  readonly #sleeps = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  readonly #validated = new WeakMap<object, { body: string | Uint8Array; issues: Issue[] }>();
  #lastBody: { text: string; bytes: Uint8Array } | null = null;
  #closed = false;

  constructor(options: ApnsClientOptions) {
    this.#options = options;
    const { credential } = options;
    this.#retry = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };
    this.#tokens =
      credential.kind === "token"
        ? new ProviderTokenSource({ ...credential, store: options.tokenStore, now: options.now })
        : null;
    const endpoint = resolveEndpoint(credential, options.environment);
    // Read the .p12 once, now: a wrong passphrase should fail at construction, not per push.
    const tls = tlsMaterialFor(credential);
    this.#pool = new ConnectionPool({
      size: options.connections ?? 2,
      maxQueued: options.maxQueued ?? 10_000,
      reconnectBaseMs: options.reconnectBaseMs ?? 250,
      reconnectMaxMs: options.reconnectMaxMs ?? 30_000,
      createConnection: (onChange) =>
        new ApnsConnection({
          endpoint,
          tls,
          maxStreams: options.maxStreamsPerConnection ?? 1000,
          pingIntervalMs: options.pingIntervalMs ?? 60_000,
          connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
          onChange,
        }),
    });
  }

  /** Send one notification; resolves to its outcome after any retries. Never rejects. */
  async send(notification: Notification): Promise<SendOutcome> {
    const apnsId = notification.headers["apns-id"] ?? randomUUID();
    try {
      return await this.#deliver(notification, apnsId);
    } catch (error) {
      // Only a broken credential gets here (the key cannot be imported or signed with).
      return { ok: false, status: 0, reason: "CredentialError", action: "fix-credential", apnsId, attempts: 0, issues: [
        { severity: "error", field: "credential", message: String((error as Error)?.message ?? error) },
      ] };
    }
  }

  /**
   * Send a stream of notifications, keeping every connection's streams busy while holding at
   * most `window` notifications in memory; outcomes come back in completion order.
   */
  sendMany(
    source: AsyncIterable<Notification> | Iterable<Notification>,
    options: SendManyOptions = {},
  ): AsyncIterable<NotificationOutcome> {
    return sendMany((n) => this.send(n), source, { window: options.window ?? this.#options.sendManyWindow ?? 2000 });
  }

  stats(): PoolStats {
    return this.#pool.stats();
  }

  /** Stop: waiting retries end as ClientClosed, in-flight streams finish, connections close. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const sleep of this.#sleeps) {
      clearTimeout(sleep.timer);
      sleep.wake();
    }
    await this.#pool.close();
  }

  async #deliver(notification: Notification, apnsId: string): Promise<SendOutcome> {
    const issues = this.#issuesOf(notification);
    if (issues.some((i) => i.severity === "error")) {
      return { ok: false, status: 0, reason: "InvalidRequest", action: "fix-request", apnsId, attempts: 0, issues };
    }
    const body = this.#bytesOf(notification.body);
    const budget = { backoffs: 0, immediates: 0, tokenRefreshes: 0 };
    const requestHeaders: http2.OutgoingHttpHeaders = {
      ":method": "POST",
      ":path": `/3/device/${notification.deviceToken}`,
      ...notification.headers,
      "apns-id": apnsId,
    };
    let token: ProviderToken | null = this.#tokens ? (this.#tokens.peek() ?? (await this.#tokens.get())) : null;
    let possibleDuplicate = false;

    for (let attempts = 1; ; attempts++) {
      if (token) requestHeaders.authorization = `bearer ${token.token}`;
      const raw = await this.#pool.request(requestHeaders, body, this.#options.requestTimeoutMs ?? 10_000, attempts > 1);
      if (raw.kind === "response" && raw.status === 200) {
        return { ok: true, status: 200, apnsId: raw.apnsId ?? apnsId, attempts,
          ...(raw.apnsUniqueId ? { apnsUniqueId: raw.apnsUniqueId } : {}),
          ...(possibleDuplicate ? { possibleDuplicate: true as const } : {}) };
      }
      const failure = this.#failureOf(raw);
      const decision = this.#closed ? { retry: false as const } : decideRetry(failure, budget, this.#retry);
      if (!decision.retry) {
        return { ok: false, status: failure.status, reason: failure.reason, action: actionFor(failure.reason, failure.status),
          apnsId: (raw.kind === "response" && raw.apnsId) || apnsId, attempts,
          ...(failure.timestamp !== undefined ? { timestamp: failure.timestamp } : {}),
          ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
          ...(possibleDuplicate ? { possibleDuplicate: true as const } : {}) };
      }
      possibleDuplicate ||= decision.possibleDuplicate;
      if (decision.delayMs > 0) await this.#sleep(decision.delayMs);
      if (this.#tokens && token) {
        token = decision.refreshToken ? await this.#tokens.renewExpired(token) : (this.#tokens.peek() ?? (await this.#tokens.get()));
      }
    }
  }

  #failureOf(raw: Awaited<ReturnType<ConnectionPool["request"]>>): Attempt & { timestamp?: number; retryAfterMs?: number } {
    if (raw.kind === "failure") return { reason: raw.reason, status: 0 };
    const { reason, timestamp } = parseErrorBody(raw.body);

    return {
      reason: reason ?? `HTTP${raw.status}`,
      status: raw.status,
      timestamp,
      retryAfterMs: parseRetryAfter(raw.retryAfter, Date.now()),
    };
  }

  /** Validate once per (headers object, body): a campaign shares both across all its tokens. */
  #issuesOf(notification: Notification): Issue[] {
    if (this.#options.validate === false) return [];
    const tokenIssues = checkDeviceToken(notification.deviceToken);
    const cached = this.#validated.get(notification.headers);
    if (cached && cached.body === notification.body) return [...tokenIssues, ...cached.issues];
    const { issues } = validateRequest({ headers: notification.headers, body: notification.body }, { auth: this.#options.credential.kind });
    this.#validated.set(notification.headers, { body: notification.body, issues });

    return [...tokenIssues, ...issues];
  }

  #bytesOf(body: string | Uint8Array): Uint8Array {
    if (typeof body !== "string") return body;
    if (this.#lastBody?.text !== body) this.#lastBody = { text: body, bytes: Buffer.from(body, "utf8") };

    return this.#lastBody.bytes;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleep = {
        timer: setTimeout(() => sleep.wake(), ms),
        wake: () => {
          this.#sleeps.delete(sleep);
          resolve();
        },
      };
      this.#sleeps.add(sleep);
    });
  }
}
