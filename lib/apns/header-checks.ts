// Checks on the apns-* request headers, worded for the person composing the push.
// Each rule cites the reason APNs would answer with (docs/apns.md §2, §5), so we refuse
// locally what Apple would refuse remotely. Pure and isomorphic.

import type { ApnsHeaders, AuthKind, Issue } from "./payload-types";
import {
  PRIORITIES,
  PUSH_TYPE_RULES,
  bundleIdFromTopic,
  isPushType,
  type PushType,
} from "./push-types";

/** Apple: `apns-collapse-id` may not exceed 64 bytes (BadCollapseId). */
export const COLLAPSE_ID_MAX_BYTES = 64;

/** Apple: a canonical UUID, 8-4-4-4-12 lowercase hex (else BadMessageId). */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Apple sends tokens as hex and says not to assume a length; 32-byte and 80-byte tokens exist. */
const HEX = /^[0-9a-fA-F]+$/;
const DEVICE_TOKEN_MIN_HEX = 64;
const DEVICE_TOKEN_MAX_HEX = 200;

const utf8 = new TextEncoder();

export function utf8Length(text: string): number {
  return utf8.encode(text).length;
}

/** "4180" → "4,180", the same in every browser and on the server. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function isCanonicalUuid(value: string): boolean {
  return CANONICAL_UUID.test(value);
}

function priorityWords(allowed: readonly number[]): string {
  return allowed.length === 1
    ? `priority ${allowed[0]}`
    : `priority ${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)}`;
}

/** Check a header map as it will be sent. `auth` adds the token-auth-only rule when known. */
export function checkHeaders(headers: ApnsHeaders, auth?: AuthKind): Issue[] {
  const issues: Issue[] = [];
  const error = (field: string, message: string) =>
    issues.push({ severity: "error", field, message });
  const rawType = headers["apns-push-type"];
  if (!rawType || !isPushType(rawType)) {
    error("pushType", `"${rawType ?? ""}" is not a push type Apple accepts`);

    return issues;
  }
  const pushType: PushType = rawType;
  const rule = PUSH_TYPE_RULES[pushType];

  const topic = headers["apns-topic"];
  if (!topic) {
    // With a single-topic certificate APNs uses the certificate's topic; with a key it answers MissingTopic.
    if (auth === "certificate") {
      issues.push({
        severity: "warning",
        field: "topic",
        message: "no topic given: APNs will use the certificate's own topic",
      });
    } else {
      error("topic", "a topic (the app's bundle id) is required");
    }
  } else if (bundleIdFromTopic(topic, pushType) === null) {
    error(
      "topic",
      rule.topicSuffix
        ? `${rule.label} pushes must go to a topic ending in "${rule.topicSuffix}", not "${topic}"`
        : `${rule.label} pushes must go to the app's bundle id, not "${topic}"`,
    );
  }

  const priority = headers["apns-priority"];
  if (priority !== undefined) {
    const value = Number(priority);
    if (!PRIORITIES.includes(value as 10) || String(value) !== priority) {
      error("priority", "priority must be 10 (now), 5 (power-aware) or 1 (lowest)");
    } else if (!rule.priorities.includes(value as 10)) {
      error("priority", `${rule.label} pushes must use ${priorityWords(rule.priorities)}`);
    }
  } else if (!rule.priorities.includes(10)) {
    // An omitted priority means 10 to APNs.
    error("priority", `${rule.label} pushes must use ${priorityWords(rule.priorities)}`);
  }

  const expiration = headers["apns-expiration"];
  if (expiration !== undefined && !/^\d{1,12}$/.test(expiration)) {
    error("expiration", "expiration must be a time in UNIX seconds, or 0 to try only once");
  } else if (rule.expirationMustBeZero && expiration !== "0") {
    error("expiration", `${rule.label} pushes must have expiration 0: delivered now or never`);
  }

  const collapseId = headers["apns-collapse-id"];
  if (collapseId !== undefined) {
    const bytes = utf8Length(collapseId);
    if (bytes > COLLAPSE_ID_MAX_BYTES) {
      error("collapseId", `collapse id is ${formatCount(bytes)} of ${COLLAPSE_ID_MAX_BYTES} bytes`);
    } else if (bytes === 0) {
      error("collapseId", "collapse id cannot be empty");
    }
  }

  const apnsId = headers["apns-id"];
  if (apnsId !== undefined && !isCanonicalUuid(apnsId)) {
    error(
      "apnsId",
      "apns-id must be a lowercase UUID such as 123e4567-e89b-42d3-a456-426614174000",
    );
  }

  if (auth === "certificate" && rule.tokenAuthOnly) {
    error(
      "pushType",
      `${rule.label} pushes can only be sent with a .p8 signing key, not a certificate`,
    );
  }

  return issues;
}

/** A device token as Apple hands it out: even-length hex (docs/apns.md §7). */
export function checkDeviceToken(token: string): Issue[] {
  const ok =
    HEX.test(token) &&
    token.length % 2 === 0 &&
    token.length >= DEVICE_TOKEN_MIN_HEX &&
    token.length <= DEVICE_TOKEN_MAX_HEX;

  return ok
    ? []
    : [
        {
          severity: "error",
          field: "deviceToken",
          message: "device token must be 64 to 200 hexadecimal characters",
        },
      ];
}
