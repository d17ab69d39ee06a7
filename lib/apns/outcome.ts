// What a send comes back as: always a value, never a rejection (sideshow's Response,
// node-apn's {sent, failed}). APNs rejections and transport failures are both outcomes;
// `action` (from reasons.ts) tells the dispatcher what to do with the notification.

import type { ApnsHeaders, Issue } from "./payload-types";
import {
  APNS_REASONS,
  classifyReason,
  isApnsReason,
  type ApnsReason,
  type ReasonAction,
} from "./reasons";
import { TRANSPORT_REASONS, type TransportReason } from "./transport-reasons";

/** One notification to one device, as built by `buildNotification`. */
export type Notification = {
  /** Lowercase hex, as the app registered it. */
  deviceToken: string;
  /**
   * Share one object across a campaign and do not change it once sent: the sender validates and
   * HPACK-encodes it once per object.
   */
  headers: Readonly<ApnsHeaders>;
  /** The exact JSON body: `built.body`, or `built.bytes` to skip re-encoding. */
  body: string | Uint8Array;
};

export type SendSuccess = {
  ok: true;
  status: 200;
  apnsId: string;
  /** Development environment only: the key of Apple's delivery log. */
  apnsUniqueId?: string;
  attempts: number;
  /** An earlier attempt was lost with its connection: the device may get it twice. */
  possibleDuplicate?: true;
};

export type SendFailure = {
  ok: false;
  /** HTTP status, or 0 when APNs never answered. */
  status: number;
  reason: ApnsReason | TransportReason | (string & {});
  action: ReasonAction;
  /** 410 only: ms since epoch when APNs last saw the token invalid. */
  timestamp?: number;
  apnsId: string;
  attempts: number;
  possibleDuplicate?: true;
  /**
   * Still deliverable, but the notification's time budget (apns-expiration or the client's
   * deadlineMs) ran out while retrying: send it again later. `reason` is the last failure's.
   */
  deadlineExceeded?: true;
  /** Milliseconds APNs asked us to wait (Retry-After), for the caller's deferral. */
  retryAfterMs?: number;
  /** Why our validator refused the request (reason InvalidRequest). */
  issues?: Issue[];
};

export type SendOutcome = SendSuccess | SendFailure;

export type NotificationOutcome = { notification: Notification; outcome: SendOutcome };

export function actionFor(reason: string, status: number): ReasonAction {
  if (isApnsReason(reason)) return APNS_REASONS[reason].action;
  if (Object.hasOwn(TRANSPORT_REASONS, reason))
    return TRANSPORT_REASONS[reason as TransportReason].action;

  return classifyReason(reason, status);
}

/** Read APNs' error body `{"reason": …, "timestamp": …}`; tolerate anything else. */
export function parseErrorBody(body: string): { reason?: string; timestamp?: number } {
  if (!body) return {};
  try {
    const parsed = JSON.parse(body) as { reason?: unknown; timestamp?: unknown };
    // A number, or a string of digits; null, "" and anything else are absent (Number(null) is 0).
    const timestamp =
      typeof parsed.timestamp === "number"
        ? parsed.timestamp
        : typeof parsed.timestamp === "string" && /^\d+$/.test(parsed.timestamp)
          ? Number(parsed.timestamp)
          : undefined;

    return {
      reason: typeof parsed.reason === "string" ? parsed.reason : undefined,
      timestamp: timestamp !== undefined && Number.isFinite(timestamp) ? timestamp : undefined,
    };
  } catch {
    return {};
  }
}
