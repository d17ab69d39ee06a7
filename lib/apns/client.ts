// ApnsClient: send notifications for one (credential, environment) over a pool of HTTP/2
// connections, with the shared provider token, local validation and the retry table.
// `send` and `sendMany` share one path; neither ever rejects.

import { randomUUID } from "node:crypto";

import type { ApnsRequest } from "./connection";
import {
  resolveEndpoint,
  tlsMaterialFor,
  type ApnsCredential,
  type ApnsEnvironment,
} from "./credentials";
import {
  actionFor,
  parseErrorBody,
  type Notification,
  type NotificationOutcome,
  type SendFailure,
  type SendOutcome,
  type SendSuccess,
} from "./outcome";
import { validateRequest } from "./payload";
import type { Issue } from "./payload-types";
import { ConnectionPool, type PoolStats } from "./pool";
import { ProviderTokenSource, type ProviderToken } from "./provider-token";
import type { ProviderTokenStore } from "./provider-token-store";
import { DEFAULT_RETRY_OPTIONS, decideRetry, parseRetryAfter, type RetryOptions } from "./retry";
import { sendMany, type SendManyOptions } from "./send-many";
import { checkDeviceToken } from "./header-checks";
import { createConnection, type ApnsTransport } from "./transport";

export type ApnsClientOptions = {
  credential: ApnsCredential;
  environment: ApnsEnvironment;
  /** Which HTTP/2 implementation carries the requests (default "native"; see transport.ts). */
  transport?: ApnsTransport;
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
type RetryBudget = {
  backoffs: number;
  immediates: number;
  tokenRefreshes: number;
  refresh: boolean;
};

const NO_ISSUES: readonly Issue[] = Object.freeze([]);

function credentialError(apnsId: string, error: unknown): SendFailure {
  return {
    ok: false,
    status: 0,
    reason: "CredentialError",
    action: "fix-credential",
    apnsId,
    attempts: 0,
    issues: [
      {
        severity: "error",
        field: "credential",
        message: String((error as Error)?.message ?? error),
      },
    ],
  };
}

export class ApnsClient {
  readonly #options: ApnsClientOptions;
  readonly #pool: ConnectionPool;
  readonly #tokens: ProviderTokenSource | null;
  readonly #retry: RetryOptions;
  readonly #sleeps = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  readonly #validated = new WeakMap<object, { body: string | Uint8Array; issues: Issue[] }>();
  #lastBody: { text: string; bytes: Uint8Array } | null = null;
  #lastBearer: { token: string; header: string } | null = null;
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
        createConnection(options.transport ?? "native", {
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
  send(notification: Notification): Promise<SendOutcome> {
    return this.#deliver(notification, notification.headers["apns-id"] ?? randomUUID());
  }

  /**
   * Send a stream of notifications, keeping every connection's streams busy while holding at
   * most `window` notifications in memory; outcomes come back in completion order.
   */
  sendMany(
    source: AsyncIterable<Notification> | Iterable<Notification>,
    options: SendManyOptions = {},
  ): AsyncIterable<NotificationOutcome> {
    return sendMany((n) => this.send(n), source, {
      window: options.window ?? this.#options.sendManyWindow ?? 2000,
    });
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
    if (issues !== NO_ISSUES && issues.some((i) => i.severity === "error")) {
      return {
        ok: false,
        status: 0,
        reason: "InvalidRequest",
        action: "fix-request",
        apnsId,
        attempts: 0,
        issues: [...issues],
      };
    }
    const body = this.#bytesOf(notification.body);
    // One request object for every attempt; the connection encodes its headers with HPACK.
    const request: ApnsRequest = {
      path: `/3/device/${notification.deviceToken}`,
      headers: notification.headers,
      apnsId,
    };
    let token: ProviderToken | null = null;
    let budget: RetryBudget | null = null;
    let possibleDuplicate = false;

    for (let attempts = 1; ; attempts++) {
      if (this.#tokens) {
        const renew: boolean = budget?.refresh === true && token !== null;
        // Hot path: the shared token is fresh, no await. Otherwise mint or renew (may fail).
        const next: ProviderToken | { error: unknown } =
          (renew ? null : this.#tokens.peek()) ?? (await this.#mintToken(token, renew));
        if (!("token" in next)) return credentialError(apnsId, next.error);
        token = next;
        request.authorization = this.#bearer(token);
      }
      const raw = await this.#pool.request(
        request,
        body,
        this.#options.requestTimeoutMs ?? 10_000,
        attempts > 1,
      );
      if (raw.kind === "response" && raw.status === 200) {
        const success: SendSuccess = {
          ok: true,
          status: 200,
          apnsId: raw.apnsId ?? apnsId,
          attempts,
        };
        if (raw.apnsUniqueId) success.apnsUniqueId = raw.apnsUniqueId;
        if (possibleDuplicate) success.possibleDuplicate = true;

        return success;
      }
      const failure = this.#failureOf(raw);
      budget ??= { backoffs: 0, immediates: 0, tokenRefreshes: 0, refresh: false };
      const decision = this.#closed
        ? { retry: false as const }
        : decideRetry(failure, budget, this.#retry);
      if (!decision.retry) {
        const outcome: SendFailure = {
          ok: false,
          status: failure.status,
          reason: failure.reason,
          action: actionFor(failure.reason, failure.status),
          apnsId: (raw.kind === "response" && raw.apnsId) || apnsId,
          attempts,
        };
        if (failure.timestamp !== undefined) outcome.timestamp = failure.timestamp;
        if (failure.retryAfterMs !== undefined) outcome.retryAfterMs = failure.retryAfterMs;
        if (possibleDuplicate) outcome.possibleDuplicate = true;

        return outcome;
      }
      possibleDuplicate ||= decision.possibleDuplicate;
      budget.refresh = decision.refreshToken;
      if (decision.delayMs > 0) await this.#sleep(decision.delayMs);
    }
  }

  /** A renewed token (after ExpiredProviderToken) or the shared one when it is due for renewal. */
  async #mintToken(
    expired: ProviderToken | null,
    renew: boolean,
  ): Promise<ProviderToken | { error: unknown }> {
    try {
      return renew && expired
        ? await this.#tokens!.renewExpired(expired)
        : await this.#tokens!.get();
    } catch (error) {
      // Only a broken credential gets here (the key cannot be imported or signed with).
      return { error };
    }
  }

  /** "bearer <jwt>", built once per token rather than once per request. */
  #bearer(token: ProviderToken): string {
    if (this.#lastBearer?.token !== token.token)
      this.#lastBearer = { token: token.token, header: `bearer ${token.token}` };

    return this.#lastBearer.header;
  }

  #failureOf(
    raw: Awaited<ReturnType<ConnectionPool["request"]>>,
  ): Attempt & { timestamp?: number; retryAfterMs?: number } {
    if (raw.kind === "failure") return { reason: raw.reason, status: 0 };
    const { reason, timestamp } = parseErrorBody(raw.body);

    return {
      reason: reason ?? `HTTP${raw.status}`,
      status: raw.status,
      timestamp,
      retryAfterMs: parseRetryAfter(raw.retryAfter, Date.now()),
    };
  }

  /**
   * Validate once per (headers object, body): a campaign shares both across all its tokens.
   * The common case (valid token, no cached issues) returns the shared NO_ISSUES without allocating.
   */
  #issuesOf(notification: Notification): readonly Issue[] {
    if (this.#options.validate === false) return NO_ISSUES;
    const tokenIssues = checkDeviceToken(notification.deviceToken);
    let cached = this.#validated.get(notification.headers);
    if (!cached || cached.body !== notification.body) {
      const { issues } = validateRequest(
        { headers: notification.headers, body: notification.body },
        { auth: this.#options.credential.kind },
      );
      cached = { body: notification.body, issues };
      this.#validated.set(notification.headers, cached);
    }
    if (tokenIssues.length === 0) return cached.issues.length === 0 ? NO_ISSUES : cached.issues;

    return [...tokenIssues, ...cached.issues];
  }

  #bytesOf(body: string | Uint8Array): Uint8Array {
    if (typeof body !== "string") return body;
    if (this.#lastBody?.text !== body)
      this.#lastBody = { text: body, bytes: Buffer.from(body, "utf8") };

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
