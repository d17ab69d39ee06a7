// The apns-push-type ⇄ apns-topic ⇄ apns-priority rules of Apple's
// "Sending notification requests to APNs" (docs/apns.md §2), as one table.
// Pure and isomorphic: the composer's preview and the dispatcher both read it.

export const PUSH_TYPES = [
  "alert",
  "background",
  "voip",
  "complication",
  "fileprovider",
  "mdm",
  "location",
  "liveactivity",
  "pushtotalk",
  "widgets",
  "controls",
] as const;

export type PushType = (typeof PUSH_TYPES)[number];

/** `apns-priority`: 10 immediate, 5 power-aware, 1 lowest (device power wins). */
export type Priority = 10 | 5 | 1;

export const PRIORITIES: readonly Priority[] = [10, 5, 1];

/** Apple's payload limits: 4 KB, and 5 KB for VoIP (docs/apns.md §6). */
export const PAYLOAD_LIMIT_BYTES = 4096;
export const VOIP_PAYLOAD_LIMIT_BYTES = 5120;

export type PushTypeRule = {
  /** Appended to the bundle id to form `apns-topic`; null for `mdm`, whose topic is the certificate's UID. */
  topicSuffix: string | null;
  /** Priorities Apple accepts for this push type. */
  priorities: readonly Priority[];
  /** What we send when the caller does not choose (always sent: an omitted header means 10). */
  defaultPriority: Priority;
  /** Apple: `location` and `liveactivity` cannot be sent over a certificate connection. */
  tokenAuthOnly: boolean;
  /** Push to Talk must be sent with `apns-expiration: 0`. */
  expirationMustBeZero: boolean;
  payloadLimit: number;
  /** The push type's name in words a marketer reads in a form error. */
  label: string;
};

const rule = (
  topicSuffix: string | null,
  label: string,
  priorities: readonly Priority[],
  extra: Partial<PushTypeRule> = {},
): PushTypeRule => ({
  topicSuffix,
  label,
  priorities,
  defaultPriority: priorities[0],
  tokenAuthOnly: false,
  expirationMustBeZero: false,
  payloadLimit: PAYLOAD_LIMIT_BYTES,
  ...extra,
});

export const PUSH_TYPE_RULES: Record<PushType, PushTypeRule> = {
  alert: rule("", "alert", [10, 5]),
  // Apple: "you must set the priority to 5"; 10 is rejected or the push is dropped.
  background: rule("", "background", [5]),
  voip: rule(".voip", "VoIP", [10, 5], { payloadLimit: VOIP_PAYLOAD_LIMIT_BYTES }),
  complication: rule(".complication", "complication", [10, 5]),
  fileprovider: rule(".pushkit.fileprovider", "File Provider", [10, 5, 1]),
  mdm: rule(null, "MDM", [10, 5, 1]),
  // 10 asks the device to answer at once, 5 lets it wait.
  location: rule(".location-query", "location", [10, 5], { tokenAuthOnly: true }),
  // 10 is budgeted by the system, 5 is opportunistic.
  liveactivity: rule(".push-type.liveactivity", "Live Activity", [10, 5], { tokenAuthOnly: true }),
  pushtotalk: rule(".voip-ptt", "Push to Talk", [10], { expirationMustBeZero: true }),
  widgets: rule(".push-type.widgets", "widget", [10, 5, 1]),
  controls: rule(".push-type.controls", "control", [10, 5, 1]),
};

export function isPushType(value: string): value is PushType {
  return Object.hasOwn(PUSH_TYPE_RULES, value);
}

/** True for push types Apple accepts only with a .p8 signing key (token auth). */
export function requiresTokenAuth(pushType: PushType): boolean {
  return PUSH_TYPE_RULES[pushType].tokenAuthOnly;
}

/** The `apns-topic` for a bundle id and push type, e.g. `com.acme.app.voip`; null for `mdm`. */
export function topicFor(bundleId: string, pushType: PushType): string | null {
  const suffix = PUSH_TYPE_RULES[pushType].topicSuffix;

  return suffix === null ? null : bundleId + suffix;
}

/**
 * The push type a topic's suffix implies a bundle id for, or null when the topic does not
 * fit the push type (e.g. a `voip` push to a topic without `.voip`).
 */
export function bundleIdFromTopic(topic: string, pushType: PushType): string | null {
  const suffix = PUSH_TYPE_RULES[pushType].topicSuffix;
  if (suffix === null) return topic;
  if (!topic.endsWith(suffix)) return null;
  const bundleId = topic.slice(0, topic.length - suffix.length);
  // A bare bundle id must not itself carry another push type's suffix (alert to `x.voip`).
  const otherSuffix = Object.values(PUSH_TYPE_RULES).some(
    (other) =>
      other.topicSuffix && other.topicSuffix !== suffix && bundleId.endsWith(other.topicSuffix),
  );
  if (bundleId.length === 0 || otherSuffix) return null;

  return bundleId;
}
