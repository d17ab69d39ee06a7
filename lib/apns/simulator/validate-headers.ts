// The header and path checks of Apple's validation order (docs/apns.md §11 item 1, pushy's
// ValidatingPushNotificationHandler), up to but not including token state, auth and payload.
// Pure: headers in, either a rejection or the parsed request out.

import type { IncomingHttpHeaders } from "node:http2";

import { PUSH_TYPES, inferPushType, isWellFormedTopic, topicMatchesPushType } from "./push-types";
import type { Rejection } from "./reasons";

export type ParsedRequest = {
  token: string;
  topic: string;
  pushType: string;
  priority: string;
  apnsId: string | undefined;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PATH_PREFIX = "/3/device/";
// docs/apns.md §7: hex, even length, sensible bounds (64–200 hex characters).
const TOKEN = /^[0-9a-fA-F]{64,200}$/;
const PRIORITIES = new Set(["10", "5", "1"]);
const EXPIRATION = /^\d{1,12}$/;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Node folds repeated headers (joins or drops them) before we see them, so Apple's
 * DuplicateHeaders can only be detected on the raw name/value list.
 */
export function hasDuplicateHeaders(rawHeaders: string[] | undefined): boolean {
  if (!rawHeaders) return false;
  for (let i = 2; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    for (let j = 0; j < i; j += 2) {
      if (rawHeaders[j].toLowerCase() === name) return true;
    }
  }

  return false;
}

// A function, not a closure per call: this runs for every request.
function reject(reason: Rejection["reason"], token: string): HeaderCheck {
  return { ok: false, rejection: { reason }, token };
}

export type HeaderCheck =
  { ok: true; request: ParsedRequest } | { ok: false; rejection: Rejection; token: string };

/** `defaultTopic`: the topic of a single-topic client certificate, used when apns-topic is absent. */
export function validateHeaders(
  headers: IncomingHttpHeaders,
  rawHeaders: string[] | undefined,
  defaultTopic: string | null,
): HeaderCheck {
  const path = single(headers[":path"]) ?? "";
  const token = path.startsWith(PATH_PREFIX) ? path.slice(PATH_PREFIX.length) : "";

  if (hasDuplicateHeaders(rawHeaders)) return reject("DuplicateHeaders", token);

  const apnsId = single(headers["apns-id"]);
  if (apnsId !== undefined && !UUID.test(apnsId)) return reject("BadMessageId", token);

  if (headers[":method"] !== "POST") return reject("MethodNotAllowed", token);

  const topic = single(headers["apns-topic"]) ?? defaultTopic;
  if (!topic) return reject("MissingTopic", token);
  if (!isWellFormedTopic(topic)) return reject("BadTopic", token);

  const collapseId = single(headers["apns-collapse-id"]);
  if (collapseId !== undefined && Buffer.byteLength(collapseId) > 64)
    return reject("BadCollapseId", token);

  const pushTypeHeader = single(headers["apns-push-type"]);
  const priority = single(headers["apns-priority"]) ?? "10";
  if (!PRIORITIES.has(priority)) return reject("BadPriority", token);
  // docs/apns.md §2: background pushes must be priority 5; an explicit 10 is an error.
  if (
    pushTypeHeader === "background" &&
    priority === "10" &&
    headers["apns-priority"] !== undefined
  ) {
    return reject("BadPriority", token);
  }

  const expiration = single(headers["apns-expiration"]);
  if (expiration !== undefined && !EXPIRATION.test(expiration))
    return reject("BadExpirationDate", token);

  if (pushTypeHeader !== undefined && !PUSH_TYPES.has(pushTypeHeader))
    return reject("InvalidPushType", token);
  const pushType = pushTypeHeader ?? inferPushType(topic);
  // A voip push to the bare bundle (or an alert to "x.voip") names a topic that cannot carry it.
  if (!topicMatchesPushType(pushType, topic)) return reject("BadTopic", token);

  if (path === PATH_PREFIX || path === "/3/device") return reject("MissingDeviceToken", token);
  if (!path.startsWith(PATH_PREFIX) || token.includes("/") || token.includes("?")) {
    return { ok: false, rejection: { reason: "BadPath" }, token: "" };
  }
  if (!TOKEN.test(token) || token.length % 2 !== 0) return reject("BadDeviceToken", token);

  return { ok: true, request: { token, topic, pushType, priority, apnsId } };
}
