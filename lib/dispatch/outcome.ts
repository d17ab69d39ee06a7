import type { SendOutcome } from "@/lib/apns";
import { deliveryStatusOf } from "@/lib/deliveries/outcome-status";

/**
 * What dispatch does with one send's outcome (docs/dispatch.md "Outcomes"). The APNs library has
 * already retried within its time budget (docs/apns-sender.md); what it hands back is final for
 * this attempt, and `action` (lib/apns/reasons.ts) says what it means:
 *
 * | outcome                                      | row                                          |
 * | -------------------------------------------- | -------------------------------------------- |
 * | 200                                          | ACCEPTED                                     |
 * | retry (5xx, 429, no answer, out of time)     | DEFERRED, due again ≥ 15 min later (Apple)   |
 * | retry, never sent (ClientClosed, QueueFull)  | QUEUED again, due now                        |
 * | invalidate-token                             | REJECTED, the token invalidated (if newer)   |
 * | fix-request                                  | REJECTED (4xx) or FAILED (refused locally)   |
 * | fix-credential                               | QUEUED again, and the campaign paused        |
 *
 * A deferred row is tried again until MAX_ATTEMPTS; the last failure then stays as FAILED. Nothing
 * is dropped: every row ends with an outcome, or waits in the queue.
 */

/** Apple: after a 5xx, wait at least 15 minutes before sending that notification again. */
export const DEFER_MS = 15 * 60_000;
/** Attempts before a deferred delivery is given up as FAILED (with its last reason). */
export const MAX_ATTEMPTS = 5;

// Failures of our own side before anything left: nothing to wait for at APNs.
const NEVER_SENT = new Set(["ClientClosed", "QueueFull"]);

export type Disposition = {
  status: "ACCEPTED" | "REJECTED" | "FAILED" | "DEFERRED" | "QUEUED";
  /** When a row going back to the queue is due again. */
  availableAt: Date | null;
  /** The outcome's action says the token is dead (the timestamp rule is checked when recording). */
  invalidate: boolean;
  /** Pause the campaign: the credential was refused, every other send would fail the same way. */
  pause: boolean;
};

export function dispositionOf(
  outcome: SendOutcome,
  attempts: number,
  now: Date,
  maxAttempts = MAX_ATTEMPTS,
): Disposition {
  const base = { availableAt: null, invalidate: false, pause: false };
  if (outcome.ok) return { ...base, status: "ACCEPTED" };
  switch (outcome.action) {
    case "retry":
    case "refresh-token": {
      if (NEVER_SENT.has(outcome.reason)) return { ...base, status: "QUEUED", availableAt: now };
      if (attempts >= maxAttempts) return { ...base, status: "FAILED" };
      const wait = Math.max(DEFER_MS, outcome.retryAfterMs ?? 0);

      return { ...base, status: "DEFERRED", availableAt: new Date(now.getTime() + wait) };
    }
    case "invalidate-token":
      return { ...base, status: "REJECTED", invalidate: true };
    case "fix-credential":
      return { ...base, status: "QUEUED", availableAt: now, pause: true };
    default:
      return { ...base, status: deliveryStatusOf(outcome) === "REJECTED" ? "REJECTED" : "FAILED" };
  }
}
