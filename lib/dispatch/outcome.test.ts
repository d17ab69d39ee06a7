import { describe, expect, it } from "vitest";
import { actionFor, type SendFailure } from "@/lib/apns";
import { DEFER_MS, MAX_ATTEMPTS, dispositionOf } from "./outcome";

const now = new Date("2026-12-01T12:00:00Z");
const failure = (
  reason: string,
  status: number,
  extra: Partial<SendFailure> = {},
): SendFailure => ({
  ok: false,
  status,
  reason,
  action: actionFor(reason, status),
  apnsId: "00000000-0000-4000-8000-000000000000",
  attempts: 1,
  ...extra,
});
const later = (ms: number) => new Date(now.getTime() + ms);

describe("dispositionOf", () => {
  it("accepts a 200", () => {
    const ok = { ok: true, status: 200, apnsId: "x", attempts: 1 } as const;
    expect(dispositionOf(ok, 1, now)).toMatchObject({ status: "ACCEPTED", invalidate: false });
  });

  it("defers what APNs could not take now by at least 15 minutes (Apple), Retry-After if longer", () => {
    for (const [reason, status] of [
      ["InternalServerError", 500],
      ["ServiceUnavailable", 503],
      ["TooManyRequests", 429],
      ["Timeout", 0],
      ["ConnectionLost", 0],
    ] as const)
      expect(dispositionOf(failure(reason, status), 1, now)).toMatchObject({
        status: "DEFERRED",
        availableAt: later(DEFER_MS),
      });
    const slow = failure("ServiceUnavailable", 503, { retryAfterMs: 3_600_000 });
    expect(dispositionOf(slow, 1, now).availableAt).toEqual(later(3_600_000));
  });

  it("gives a deferred delivery up as FAILED at the last attempt", () => {
    const outcome = failure("InternalServerError", 500, { deadlineExceeded: true });
    expect(dispositionOf(outcome, MAX_ATTEMPTS - 1, now).status).toBe("DEFERRED");
    expect(dispositionOf(outcome, MAX_ATTEMPTS, now)).toMatchObject({
      status: "FAILED",
      availableAt: null,
    });
  });

  it("queues again at once what never left this process", () => {
    for (const reason of ["ClientClosed", "QueueFull"])
      expect(dispositionOf(failure(reason, 0), MAX_ATTEMPTS, now)).toMatchObject({
        status: "QUEUED",
        availableAt: now,
      });
  });

  it("rejects dead tokens for invalidation, and bad requests", () => {
    expect(dispositionOf(failure("Unregistered", 410), 1, now)).toMatchObject({
      status: "REJECTED",
      invalidate: true,
    });
    expect(dispositionOf(failure("BadDeviceToken", 400), 1, now).invalidate).toBe(true);
    expect(dispositionOf(failure("PayloadTooLarge", 413), 1, now)).toMatchObject({
      status: "REJECTED",
      invalidate: false,
    });
    expect(dispositionOf(failure("InvalidRequest", 0), 1, now).status).toBe("FAILED");
  });

  it("on a refused credential, keeps the delivery queued and pauses the campaign", () => {
    for (const [reason, status] of [
      ["InvalidProviderToken", 403],
      ["BadCertificate", 403],
      ["TlsError", 0],
    ] as const)
      expect(dispositionOf(failure(reason, status), 1, now)).toMatchObject({
        status: "QUEUED",
        pause: true,
        invalidate: false,
      });
  });
});
