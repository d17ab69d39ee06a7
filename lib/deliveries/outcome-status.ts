import type { SendOutcome } from "@/lib/apns";

export type DeliveryStatusValue = "ACCEPTED" | "REJECTED" | "FAILED";

/** ACCEPTED: APNs took it (200). REJECTED: APNs said no (4xx). FAILED: no answer, or 5xx after retries. */
export function deliveryStatusOf(outcome: SendOutcome): DeliveryStatusValue {
  if (outcome.ok) return "ACCEPTED";

  return outcome.status >= 400 && outcome.status < 500 ? "REJECTED" : "FAILED";
}

/**
 * Whether an outcome means the token is dead (docs/architecture.md, "The lifecycle of a token").
 * The APNs reasons table (lib/apns/reasons.ts) decides, through the outcome's action; the one rule
 * added here is APNs' timestamp: a verdict older than the last registration is stale (a reinstall
 * re-registers the same token) and must not kill it.
 */
export function invalidatesToken(outcome: SendOutcome, lastRegisteredAt: Date): boolean {
  if (outcome.ok || outcome.action !== "invalidate-token") return false;

  return outcome.timestamp === undefined || outcome.timestamp > lastRegisteredAt.getTime();
}
