// Push types and the topic suffix each one requires (docs/apns.md §2 "Push types, topics,
// priorities").

/** Topic suffix per push type; null = the bare bundle id; undefined key = no rule (mdm). */
const TOPIC_SUFFIX: Record<string, string | null> = {
  alert: null,
  background: null,
  voip: ".voip",
  complication: ".complication",
  fileprovider: ".pushkit.fileprovider",
  location: ".location-query",
  liveactivity: ".push-type.liveactivity",
  pushtotalk: ".voip-ptt",
  widgets: ".push-type.widgets",
  controls: ".push-type.controls",
};

export const PUSH_TYPES = new Set([...Object.keys(TOPIC_SUFFIX), "mdm"]);

// Longest first so ".voip-ptt" is not mistaken for a bare bundle and ".push-type.x" wins over shorter.
const SUFFIXES = Object.entries(TOPIC_SUFFIX)
  .filter((entry): entry is [string, string] => entry[1] !== null)
  .sort((a, b) => b[1].length - a[1].length);

/** Push types only a token-authenticated connection may send (docs/apns.md §2). */
export const TOKEN_AUTH_ONLY = new Set(["location", "liveactivity"]);

// Bundle ids and MDM UIDs: letters, digits, dots, hyphens, underscores.
const TOPIC_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function isWellFormedTopic(topic: string): boolean {
  return topic.length <= 255 && TOPIC_PATTERN.test(topic);
}

// Senders use a handful of topics, so the suffix scan is memoized (bounded) off the hot path.
const inferred = new Map<string, string>();

/** The push type a topic implies, used when `apns-push-type` is absent (Apple infers it too). */
export function inferPushType(topic: string): string {
  const known = inferred.get(topic);
  if (known !== undefined) return known;

  let type = "alert";
  for (const [candidate, suffix] of SUFFIXES) {
    if (topic.endsWith(suffix)) {
      type = candidate;
      break;
    }
  }
  if (inferred.size >= 10_000) inferred.clear();
  inferred.set(topic, type);

  return type;
}

/** The bundle id under a topic: "com.x.app.voip" → "com.x.app". */
export function bundleOf(topic: string): string {
  for (const [, suffix] of SUFFIXES) {
    if (topic.endsWith(suffix)) return topic.slice(0, -suffix.length);
  }

  return topic;
}

/** Does the topic carry the suffix this push type needs (and no other type's suffix)? */
export function topicMatchesPushType(pushType: string, topic: string): boolean {
  if (pushType === "mdm") return true;
  const suffix = TOPIC_SUFFIX[pushType];
  if (suffix === null) return inferPushType(topic) === "alert";

  return topic.endsWith(suffix) && topic.length > suffix.length;
}

/** Payload limit in bytes: 5120 for VoIP, 4096 otherwise (docs/apns.md §6). */
export function payloadLimit(pushType: string): number {
  return pushType === "voip" ? 5120 : 4096;
}
