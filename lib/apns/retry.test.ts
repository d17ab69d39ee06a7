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

  it("stops after the configured number of attempts of each kind", () => {
    const b = budget();
    const options = { ...fixed(0), maxBackoffRetries: 2, maxImmediateResends: 1 };
    expect(decideRetry({ reason: "TooManyRequests", status: 429 }, b, options).retry).toBe(true);
    expect(decideRetry({ reason: "TooManyRequests", status: 429 }, b, options).retry).toBe(true);
    expect(decideRetry({ reason: "TooManyRequests", status: 429 }, b, options).retry).toBe(false);
    expect(decideRetry({ reason: "Shutdown", status: 503 }, b, options).retry).toBe(true);
    expect(decideRetry({ reason: "Shutdown", status: 503 }, b, options).retry).toBe(false);
    expect(b).toStrictEqual({ backoffs: 2, immediates: 1, tokenRefreshes: 0 });
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
