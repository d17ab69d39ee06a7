// Pushdeck's retry policy (docs/apns-sender.md "Retries") as ONE table, on top of Apple's rules:
// - a 503 Shutdown, a stream above a GOAWAY's last-stream-id, a refused stream, or a request that
//   never left us (NotSent) was never processed: resend it at once on another connection; these
//   resends risk nothing, so they are bounded only by time (repeated ones wait a little longer
//   each, so a server that refuses everything cannot spin us);
// - a request lost with its socket or timed out after it was sent may or may not have been
//   accepted: resend it (at-least-once) and flag the outcome as a possible duplicate;
// - other 5xx and TooManyRequests: exponential back-off with jitter (about 1 s doubling, capped),
//   honouring Retry-After;
// - ExpiredProviderToken: mint one new token and resend once;
// - never retry Apple's never-retry reasons (they are absent from the table).
// Every notification has a time budget (its deadline: apns-expiration or `deadlineMs`); what is
// still undelivered then is returned as such (deadlineExceeded) and the caller defers it.

import { classifyReason } from "./reasons";

export type RetryRule =
  /** Never processed, or processed-maybe (possibleDuplicate): resend without waiting. */
  | { kind: "resend-now"; possibleDuplicate?: boolean }
  | { kind: "back-off"; possibleDuplicate?: boolean }
  | { kind: "refresh-token" };

export const RETRY_POLICY: Readonly<Record<string, RetryRule>> = {
  Shutdown: { kind: "resend-now" },
  IdleTimeout: { kind: "resend-now" },
  Refused: { kind: "resend-now" },
  NotSent: { kind: "resend-now" },
  ConnectionLost: { kind: "resend-now", possibleDuplicate: true },
  Timeout: { kind: "back-off", possibleDuplicate: true },
  ConnectionError: { kind: "back-off" },
  ClientClosed: { kind: "back-off" },
  InternalServerError: { kind: "back-off" },
  ServiceUnavailable: { kind: "back-off" },
  TooManyRequests: { kind: "back-off" },
  TooManyProviderTokenUpdates: { kind: "back-off" },
  ExpiredProviderToken: { kind: "refresh-token" },
};

export type RetryOptions = {
  /** Time budget of a notification without apns-expiration (or a later one), from its first attempt. */
  deadlineMs: number;
  /** Back-off retries after the first attempt (Apple's "retry later" reasons); the deadline rules by default. */
  maxBackoffRetries: number;
  /** First back-off delay; doubles each time. */
  baseDelayMs: number;
  /** Longest single wait; a longer Retry-After hands the notification back instead. */
  maxDelayMs: number;
  /** Immediate resends in a row before they, too, start to wait (`baseDelayMs / 20`, doubling). */
  freeResends: number;
  /** [0, 1) source for jitter; injectable for tests. */
  random: () => number;
};

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  deadlineMs: 3 * 60_000,
  maxBackoffRetries: Number.POSITIVE_INFINITY,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  freeResends: 2,
  random: Math.random,
};

/** How many times each kind of retry has been used for one notification. */
export type RetryBudget = { backoffs: number; immediates: number; tokenRefreshes: number };

export type RetryDecision =
  /** `outOfTime`: a retry was due but the notification's time budget did not allow it. */
  | { retry: false; outOfTime?: true }
  | { retry: true; delayMs: number; refreshToken: boolean; possibleDuplicate: boolean };

/** The rule for a failure: the table, else any unknown 5xx/429 backs off, else none. */
export function retryRuleFor(reason: string, status: number): RetryRule | null {
  const rule = RETRY_POLICY[reason];
  if (rule) return rule;

  return status !== 0 && classifyReason(reason, status) === "retry" ? { kind: "back-off" } : null;
}

const OUT_OF_TIME: RetryDecision = { retry: false, outOfTime: true };

/**
 * Decide whether and when to resend after a failed attempt; updates `budget` when it says yes.
 * `remainingMs` is what is left of the notification's time budget: a wait that would end past it
 * is not taken.
 */
export function decideRetry(
  failure: { reason: string; status: number; retryAfterMs?: number },
  budget: RetryBudget,
  options: RetryOptions = DEFAULT_RETRY_OPTIONS,
  remainingMs: number = options.deadlineMs,
): RetryDecision {
  const rule = retryRuleFor(failure.reason, failure.status);
  if (!rule) return { retry: false };
  if (remainingMs <= 0) return OUT_OF_TIME;

  switch (rule.kind) {
    case "refresh-token":
      if (budget.tokenRefreshes >= 1) return { retry: false };
      budget.tokenRefreshes++;

      return { retry: true, delayMs: 0, refreshToken: true, possibleDuplicate: false };
    case "resend-now": {
      const extra = budget.immediates - options.freeResends;
      const delayMs =
        extra < 0
          ? 0
          : Math.round(
              Math.min(options.maxDelayMs, (options.baseDelayMs / 20) * 2 ** extra) *
                (0.5 + options.random() / 2),
            );
      if (delayMs >= remainingMs) return OUT_OF_TIME;
      budget.immediates++;

      return {
        retry: true,
        delayMs,
        refreshToken: false,
        possibleDuplicate: rule.possibleDuplicate === true,
      };
    }
    case "back-off": {
      if (budget.backoffs >= options.maxBackoffRetries) return { retry: false };
      const delayMs = backoffDelay(budget.backoffs, failure.retryAfterMs, options);
      if (delayMs === null) return { retry: false };
      if (delayMs >= remainingMs) return OUT_OF_TIME;
      budget.backoffs++;

      return {
        retry: true,
        delayMs,
        refreshToken: false,
        possibleDuplicate: rule.possibleDuplicate === true,
      };
    }
  }
}

/**
 * "Equal jitter": half the doubled delay, plus a random half, so a storm of retries spreads
 * out but never fires sooner than half the step. Retry-After wins when longer; past
 * maxDelayMs we stop (null) and let the caller defer the notification.
 */
export function backoffDelay(
  retryIndex: number,
  retryAfterMs: number | undefined,
  options: RetryOptions,
): number | null {
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retryIndex);
  const jittered = step / 2 + options.random() * (step / 2);
  const delay = Math.max(jittered, retryAfterMs ?? 0);

  return delay > options.maxDelayMs ? null : Math.round(delay);
}

/** `Retry-After` is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);

  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
