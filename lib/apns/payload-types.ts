// Typed `aps` dictionary and notification input, keyed by Apple's own JSON names so the
// composer, the preview and the wire agree without a translation table
// ("Generating a remote notification", docs/apns.md §6).

import type { Priority, PushType } from "./push-types";

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type ApsAlert = {
  title?: string;
  subtitle?: string;
  body?: string;
  "launch-image"?: string;
  "title-loc-key"?: string;
  "title-loc-args"?: string[];
  "subtitle-loc-key"?: string;
  "subtitle-loc-args"?: string[];
  "loc-key"?: string;
  "loc-args"?: string[];
};

/** Critical alert sound; Apple requires the critical-alerts entitlement. */
export type CriticalSound = { critical: 1; name: string; volume?: number };

export type InterruptionLevel = "passive" | "active" | "time-sensitive" | "critical";

export type LiveActivityEvent = "start" | "update" | "end";

export type Aps = {
  alert?: string | ApsAlert;
  /** 0 clears the badge. */
  badge?: number;
  /** A sound file name, "default", or a critical sound. */
  sound?: string | CriticalSound;
  "thread-id"?: string;
  category?: string;
  "content-available"?: 1;
  "mutable-content"?: 1;
  "target-content-id"?: string;
  "interruption-level"?: InterruptionLevel;
  /** 0–1: ordering in the notification summary (also for Live Activities). */
  "relevance-score"?: number;
  "filter-criteria"?: string;
  // Live Activity keys (ActivityKit push notifications).
  /** Seconds since epoch; the device drops updates older than the one it has. */
  timestamp?: number;
  event?: LiveActivityEvent;
  "content-state"?: JsonObject;
  "stale-date"?: number;
  "dismissal-date"?: number;
  "attributes-type"?: string;
  attributes?: JsonObject;
  "input-push-token"?: 1;
  "input-push-channel"?: string;
  // WidgetKit / control reload pushes.
  "content-changed"?: true;
};

/** The `aps` keys that only Live Activity pushes (ActivityKit) may carry, in write order. */
export const LIVE_ACTIVITY_KEYS: readonly (keyof Aps)[] = [
  "timestamp",
  "event",
  "content-state",
  "stale-date",
  "dismissal-date",
  "attributes-type",
  "attributes",
  "input-push-token",
  "input-push-channel",
];

/** The order in which `aps` keys are written: fixed, so the JSON is byte-for-byte reproducible. */
export const APS_KEY_ORDER: readonly (keyof Aps)[] = [
  "alert",
  "badge",
  "sound",
  "thread-id",
  "category",
  "content-available",
  "mutable-content",
  "target-content-id",
  "interruption-level",
  "relevance-score",
  "filter-criteria",
  ...LIVE_ACTIVITY_KEYS,
  "content-changed",
];

export const ALERT_KEY_ORDER: readonly (keyof ApsAlert)[] = [
  "title",
  "subtitle",
  "body",
  "launch-image",
  "title-loc-key",
  "title-loc-args",
  "subtitle-loc-key",
  "subtitle-loc-args",
  "loc-key",
  "loc-args",
];

/**
 * Custom keys sent beside `aps`. Entries keep their order exactly (a plain object would put
 * integer-like keys such as "10" first, which is JavaScript's rule, not the author's).
 */
export type CustomData = JsonObject | ReadonlyArray<readonly [string, JsonValue]>;

export type NotificationInput = {
  pushType: PushType;
  /** The app's bundle id; the topic is derived from it and the push type. */
  bundleId?: string;
  /** An explicit `apns-topic` (required for `mdm`); must agree with the push type. */
  topic?: string;
  priority?: Priority;
  /** UNIX seconds; 0 = try once, never store. Omitted = Apple's default storage. */
  expiration?: number;
  collapseId?: string;
  apnsId?: string;
  aps?: Aps;
  data?: CustomData;
};

export type IssueSeverity = "error" | "warning";

export type Issue = { severity: IssueSeverity; field: string; message: string };

/** Exactly what goes on the wire, plus what is wrong with it. */
export type BuiltNotification = {
  headers: ApnsHeaders;
  body: string;
  bytes: Uint8Array;
  size: number;
  limit: number;
  issues: Issue[];
};

export type ApnsHeaders = {
  "apns-push-type": string;
  "apns-topic"?: string;
  "apns-priority"?: string;
  "apns-expiration"?: string;
  "apns-collapse-id"?: string;
  "apns-id"?: string;
};

/** The authentication the request will travel with; some push types need token auth. */
export type AuthKind = "token" | "certificate";
