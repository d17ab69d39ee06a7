// ApnsClient: send notifications for one (credential, environment) over a pool of HTTP/2
// connections, with the shared provider token, local validation and the retry table.
// `send` and `sendMany` share one path; neither ever rejects.

import { randomUUID } from "node:crypto";

import type { ApnsRequest, RawResult } from "./connection";
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
import { FieldsSnapshot } from "./fields-snapshot";
import { validateRequest } from "./payload";
import { APNS_REASONS, isApnsReason, isRetryable } from "./reasons";
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
  /** Back-off before reopening after a connection that carried no success: doubles to the max. */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /** Least time between two connection opens after any connection closed. */
  reconnectSpacingMs?: number;
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

function failure(
  apnsId: string,
  reason: SendFailure["reason"],
  action: SendFailure["action"],
  error?: unknown,
): SendFailure {
  const outcome: SendFailure = { ok: false, status: 0, reason, action, apnsId, attempts: 0 };
  if (error !== undefined) {
    outcome.issues = [
      { severity: "error", field: "sender", message: String((error as Error)?.message ?? error) },
    ];
  }

  return outcome;
}

function credentialError(apnsId: string, error: unknown): SendFailure {
  const outcome = failure(apnsId, "CredentialError", "fix-credential", error);
  outcome.issues![0].field = "credential";

  return outcome;
}

/** An attempt's failure as the retry table sees it. */
function failureOf(raw: RawResult): Attempt & { timestamp?: number; retryAfterMs?: number } {
  if (raw.kind === "failure") {
    // A GOAWAY that gives a reason retrying cannot fix (e.g. InvalidProviderToken) is that reason.
    const reason = raw.goaway?.reason;
    if (isApnsReason(reason) && !isRetryable(APNS_REASONS[reason].action)) {
      return { reason, status: APNS_REASONS[reason].status };
    }

    return { reason: raw.reason, status: 0 };
  }
  const { reason, timestamp } = parseErrorBody(raw.body);

  return {
    reason: reason ?? `HTTP${raw.status}`,
    status: raw.status,
    timestamp,
    retryAfterMs: parseRetryAfter(raw.retryAfter, Date.now()),
  };
}

export class ApnsClient {
  readonly #options: ApnsClientOptions;
  readonly #pool: ConnectionPool;
  readonly #tokens: ProviderTokenSource | null;
  readonly #retry: RetryOptions;
  readonly #sleeps = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  readonly #validated = new WeakMap<
    object,
    { body: string | Uint8Array; issues: Issue[]; fields: FieldsSnapshot }
  >();
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
    const maxStreams = options.maxStreamsPerConnection ?? 1000;
    this.#pool = new ConnectionPool({
      size: options.connections ?? 2,
      maxQueued: options.maxQueued ?? 10_000,
      reconnectBaseMs: options.reconnectBaseMs ?? 250,
      reconnectMaxMs: options.reconnectMaxMs ?? 30_000,
      reconnectSpacingMs: options.reconnectSpacingMs ?? 20,
      maxStreams,
      initialStreams: Math.min(16, maxStreams),
      createConnection: (onChange) =>
        createConnection(options.transport ?? "native", {
          endpoint,
          tls,
          maxStreams,
          pingIntervalMs: options.pingIntervalMs ?? 60_000,
          connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
          onChange,
        }),
    });
  }

  /** Send one notification; resolves to its outcome after any retries. Never rejects. */
  send(notification: Notification): Promise<SendOutcome> {
    const apnsId = notification.headers["apns-id"] ?? randomUUID();

    return this.#deliver(notification, apnsId).catch((error: unknown) =>
      failure(apnsId, "SenderError", "retry", error),
    );
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
      return { ...failure(apnsId, "InvalidRequest", "fix-request"), issues: [...issues] };
    }
    const body = this.#bytesOf(notification.body);
    // One request object for every attempt; the connection encodes its headers with HPACK.
    const request: ApnsRequest = {
      path: `/3/device/${notification.deviceToken}`,
      headers: notification.headers,
      apnsId,
    };
    const requestTimeoutMs = this.#options.requestTimeoutMs ?? 10_000;
    const deadline = this.#deadlineOf(notification);
    let token: ProviderToken | null = null;
    let budget: RetryBudget | null = null;
    let possibleDuplicate = false;

    for (let attempts = 1; ; attempts++) {
      if (this.#tokens) {
        const renew: boolean = budget?.refresh === true && token !== null;
        // Hot path: the shared token is fresh, no await. Otherwise mint or renew (may fail).
        const next: ProviderToken | { error: unknown } =
          (renew ? null : this.#tokens.peek()) ?? (await this.#mintToken(token, renew));
        if (!("token" in next)) {
          return { ...credentialError(apnsId, next.error), attempts: attempts - 1 };
        }
        token = next;
        request.authorization = this.#bearer(token);
      }
      // The first attempt always gets its full timeout; resends only what the budget has left.
      const timeoutMs =
        attempts === 1 ? requestTimeoutMs : Math.min(requestTimeoutMs, deadline - Date.now());
      const raw = await this.#pool.request(request, body, timeoutMs, attempts > 1);
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
      const attempt = failureOf(raw);
      budget ??= { backoffs: 0, immediates: 0, tokenRefreshes: 0, refresh: false };
      const decision = this.#closed
        ? { retry: false as const }
        : decideRetry(attempt, budget, this.#retry, deadline - Date.now());
      if (!decision.retry) {
        const outcome: SendFailure = {
          ...failure(
            (raw.kind === "response" && raw.apnsId) || apnsId,
            attempt.reason,
            actionFor(attempt.reason, attempt.status),
          ),
          status: attempt.status,
          attempts,
        };
        if (attempt.timestamp !== undefined) outcome.timestamp = attempt.timestamp;
        if (attempt.retryAfterMs !== undefined) outcome.retryAfterMs = attempt.retryAfterMs;
        if (possibleDuplicate) outcome.possibleDuplicate = true;
        if (decision.outOfTime) outcome.deadlineExceeded = true;

        return outcome;
      }
      possibleDuplicate ||= decision.possibleDuplicate;
      budget.refresh = decision.refreshToken;
      if (decision.delayMs > 0) await this.#sleep(decision.delayMs);
    }
  }

  /**
   * When this notification stops being worth retrying in-process: its apns-expiration (seconds;
   * 0 means "now or never") or `deadlineMs` from now, whichever is sooner.
   */
  #deadlineOf(notification: Notification): number {
    const now = Date.now();
    const budget = now + this.#retry.deadlineMs;
    const expiration = Number(notification.headers["apns-expiration"]);
    if (!Number.isFinite(expiration) || notification.headers["apns-expiration"] === undefined) {
      return budget;
    }

    return Math.min(budget, expiration === 0 ? now : expiration * 1000);
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

  /**
   * Validate once per (headers object, body): a campaign shares both across all its tokens.
   * The common case (valid token, no cached issues) returns the shared NO_ISSUES without allocating.
   */
  #issuesOf(notification: Notification): readonly Issue[] {
    if (this.#options.validate === false) return NO_ISSUES;
    const tokenIssues = checkDeviceToken(notification.deviceToken);
    let cached = this.#validated.get(notification.headers);
    if (
      !cached ||
      cached.body !== notification.body ||
      !cached.fields.matches(notification.headers)
    ) {
      const { issues } = validateRequest(
        { headers: notification.headers, body: notification.body },
        { auth: this.#options.credential.kind },
      );
      cached = {
        body: notification.body,
        issues,
        fields: new FieldsSnapshot(notification.headers),
      };
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
