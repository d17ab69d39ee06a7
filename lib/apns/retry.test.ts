import { describe, expect, it } from "vitest";

import { APNS_REASONS, NEVER_RETRY } from "./reasons";
import {
  DEFAULT_RETRY_OPTIONS,
  RETRY_POLICY,
  backoffDelay,
  decideRetry,
  parseRetryAfter,
  retryRuleFor,
  type RetryOptions,
} from "./retry";
import { TRANSPORT_REASONS } from "./transport-reasons";

const budget = () => ({ backoffs: 0, immediates: 0, tokenRefreshes: 0 });
const fixed = (random: number): RetryOptions => ({
  ...DEFAULT_RETRY_OPTIONS,
  random: () => random,
});

describe("RETRY_POLICY", () => {
  it("never retries Apple's never-retry reasons, nor any reason whose action is not retry", () => {
    for (const reason of NEVER_RETRY)
      expect([reason, retryRuleFor(reason, APNS_REASONS[reason].status)]).toStrictEqual([
        reason,
        null,
      ]);
    for (const [reason, info] of Object.entries(APNS_REASONS)) {
      const rule = retryRuleFor(reason, info.status);
      const expected = info.action === "retry" || info.action === "refresh-token";
      expect([reason, rule !== null]).toStrictEqual([reason, expected]);
    }
  });

  it("only names reasons that exist", () => {
    for (const reason of Object.keys(RETRY_POLICY)) {
      expect(reason in APNS_REASONS || reason in TRANSPORT_REASONS).toBe(true);
    }
  });

  it("resends never-processed requests at once, lost ones as possible duplicates", () => {
    expect(decideRetry({ reason: "Shutdown", status: 503 }, budget())).toStrictEqual({
      retry: true,
      delayMs: 0,
      refreshToken: false,
      possibleDuplicate: false,
    });
    expect(decideRetry({ reason: "Refused", status: 0 }, budget())).toMatchObject({
      delayMs: 0,
      possibleDuplicate: false,
    });
    expect(decideRetry({ reason: "ConnectionLost", status: 0 }, budget())).toMatchObject({
      delayMs: 0,
      possibleDuplicate: true,
    });
  });

  it("backs off for other 5xx and 429, and unknown 5xx reasons", () => {
    for (const [reason, status] of [
      ["ServiceUnavailable", 503],
      ["InternalServerError", 500],
      ["TooManyRequests", 429],
      ["BadGateway", 502],
    ] as const) {
      const d = decideRetry({ reason, status }, budget(), fixed(0.5));
      expect([reason, d]).toStrictEqual([
        reason,
        { retry: true, delayMs: 750, refreshToken: false, possibleDuplicate: false },
      ]);
    }
    expect(decideRetry({ reason: "SomethingNew", status: 400 }, budget())).toStrictEqual({
      retry: false,
    });
  });

  it("refreshes the provider token once only", () => {
    const b = budget();
    expect(decideRetry({ reason: "ExpiredProviderToken", status: 403 }, b)).toMatchObject({
      retry: true,
      refreshToken: true,
    });
    expect(decideRetry({ reason: "ExpiredProviderToken", status: 403 }, b)).toStrictEqual({
      retry: false,
    });
  });

  it("bounds back-offs by the configured count when one is set", () => {
    const b = budget();
    const options = { ...fixed(0), maxBackoffRetries: 2 };
    expect(decideRetry({ reason: "TooManyRequests", status: 429 }, b, options).retry).toBe(true);
    expect(decideRetry({ reason: "TooManyRequests", status: 429 }, b, options).retry).toBe(true);
    expect(decideRetry({ reason: "TooManyRequests", status: 429 }, b, options)).toStrictEqual({
      retry: false,
    });
  });

  it("bounds every retry by the notification's time budget, and says when that is why it stopped", () => {
    const b = budget();
    // 5xx back-off: 500–1000 ms; with 400 ms left there is no time for it.
    expect(
      decideRetry({ reason: "ServiceUnavailable", status: 503 }, b, fixed(0), 400),
    ).toStrictEqual({ retry: false, outOfTime: true });
    expect(decideRetry({ reason: "Refused", status: 0 }, b, fixed(0), 0)).toStrictEqual({
      retry: false,
      outOfTime: true,
    });
    // Never-retry reasons stop for their own sake, not for time.
    expect(decideRetry({ reason: "BadDeviceToken", status: 400 }, b, fixed(0), 0)).toStrictEqual({
      retry: false,
    });
  });

  it("never counts resends of never-processed requests: the first are immediate, then they wait longer each", () => {
    const b = budget();
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      const d = decideRetry({ reason: "Refused", status: 0 }, b, fixed(0.999999), 60_000);
      if (!d.retry) throw new Error("a resend within the budget was refused");
      expect(d.possibleDuplicate).toBe(false);
      delays.push(d.delayMs);
    }
    expect(delays.slice(0, 3)).toStrictEqual([0, 0, 50]);
    expect(delays.slice(3, 6)).toStrictEqual([100, 200, 400]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(DEFAULT_RETRY_OPTIONS.maxDelayMs);
    // Still going after 12 (a count would have stopped at 10): only the deadline stops them.
    expect(decideRetry({ reason: "NotSent", status: 0 }, b, fixed(0), 60_000).retry).toBe(true);
  });

  it("flags lost and timed-out requests as possible duplicates, never refused or unsent ones", () => {
    for (const [reason, duplicate] of [
      ["ConnectionLost", true],
      ["Timeout", true],
      ["Refused", false],
      ["NotSent", false],
      ["Shutdown", false],
    ] as const) {
      const d = decideRetry({ reason, status: reason === "Shutdown" ? 503 : 0 }, budget());
      expect([reason, d.retry && d.possibleDuplicate]).toStrictEqual([reason, duplicate]);
    }
  });
});

describe("backoffDelay", () => {
  it("doubles from about 1 s with jitter between half and the full step", () => {
    expect([0, 1, 2, 3].map((i) => backoffDelay(i, undefined, fixed(0)))).toStrictEqual([
      500, 1000, 2000, 4000,
    ]);
    expect([0, 1, 2, 3].map((i) => backoffDelay(i, undefined, fixed(0.999999)))).toStrictEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it("honours Retry-After, and gives up when it is longer than we wait in-process", () => {
    expect(backoffDelay(0, 5000, fixed(0))).toBe(5000);
    expect(backoffDelay(0, 31_000, fixed(0))).toBeNull();
    expect(
      decideRetry({ reason: "TooManyRequests", status: 429, retryAfterMs: 60_000 }, budget()),
    ).toStrictEqual({ retry: false });
  });

  it("parses Retry-After seconds and dates", () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter(new Date(now + 10_000).toUTCString(), now)).toBe(10_000);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});
