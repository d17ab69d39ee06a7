// The payload builder: campaign fields → the exact headers and JSON bytes sent to APNs.
// Pure and isomorphic (TextEncoder, no node imports): the composer's live preview calls
// the same function as the dispatcher, so the preview is byte-for-byte what is sent.

import { checkDeviceToken, checkHeaders } from "./header-checks";
import { checkAps, checkSize } from "./payload-checks";
import {
  ALERT_KEY_ORDER,
  APS_KEY_ORDER,
  type ApnsHeaders,
  type Aps,
  type AuthKind,
  type BuiltNotification,
  type CustomData,
  type Issue,
  type JsonValue,
  type NotificationInput,
} from "./payload-types";
import { PUSH_TYPE_RULES, isPushType, topicFor } from "./push-types";

const utf8 = new TextEncoder();

export type BuildOptions = { auth?: AuthKind };

/** Build the request for one notification; `issues` says what APNs would refuse and why. */
export function buildNotification(
  input: NotificationInput,
  options: BuildOptions = {},
): BuiltNotification {
  const inputIssues: Issue[] = [];
  const rule = PUSH_TYPE_RULES[input.pushType];
  if (!rule) {
    inputIssues.push({
      severity: "error",
      field: "pushType",
      message: `"${input.pushType}" is not a push type Apple accepts`,
    });
  }

  const headers = buildHeaders(input, inputIssues);
  const { json: body, issues: bodyIssues } = serializePayload(
    input.pushType,
    input.aps,
    input.data,
  );
  const bytes = utf8.encode(body);
  const limit = rule?.payloadLimit ?? PUSH_TYPE_RULES.alert.payloadLimit;
  const issues = [
    ...inputIssues,
    ...(rule ? checkHeaders(headers, options.auth) : []),
    ...bodyIssues,
    ...(rule ? checkAps(input.pushType, input.aps ?? {}) : []),
    ...checkSize(bytes.length, limit),
  ];

  return { headers, body, bytes, size: bytes.length, limit, issues };
}

function buildHeaders(input: NotificationInput, issues: Issue[]): ApnsHeaders {
  const rule = PUSH_TYPE_RULES[input.pushType];
  const derived = input.bundleId && rule ? topicFor(input.bundleId, input.pushType) : null;
  if (input.topic && derived && input.topic !== derived) {
    issues.push({
      severity: "error",
      field: "topic",
      message: `topic "${input.topic}" does not match bundle id "${input.bundleId}"`,
    });
  }
  if (rule && rule.topicSuffix === null && !input.topic) {
    issues.push({
      severity: "error",
      field: "topic",
      message: "MDM pushes need the topic from the MDM certificate",
    });
  }
  const topic = input.topic ?? derived ?? undefined;
  // Always say the priority: an omitted header means 10, which background pushes may not use.
  const priority = input.priority ?? rule?.defaultPriority;
  // Push to Talk must not be stored: default its expiration to 0.
  const expiration = input.expiration ?? (rule?.expirationMustBeZero ? 0 : undefined);

  const headers: ApnsHeaders = { "apns-push-type": input.pushType };
  if (topic !== undefined) headers["apns-topic"] = topic;
  if (priority !== undefined) headers["apns-priority"] = String(priority);
  if (expiration !== undefined) headers["apns-expiration"] = String(expiration);
  if (input.collapseId !== undefined) headers["apns-collapse-id"] = input.collapseId;
  if (input.apnsId !== undefined) headers["apns-id"] = input.apnsId;

  return headers;
}

/** `aps` first with its keys in Apple's documented order, then custom data in the given order. */
function serializePayload(
  pushType: string,
  aps: Aps | undefined,
  data: CustomData | undefined,
): { json: string; issues: Issue[] } {
  const issues: Issue[] = [];
  const parts: string[] = [];
  const orderedAps = orderAps(aps ?? {}, issues);
  // MDM payloads are `{"mdm": "<PushMagic>"}` with no aps dictionary.
  if (!(pushType === "mdm" && Object.keys(orderedAps).length === 0)) {
    parts.push(`"aps":${JSON.stringify(orderedAps)}`);
  }
  const entries = data === undefined ? [] : Array.isArray(data) ? data : Object.entries(data);
  const seen = new Set<string>();
  for (const [key, value] of entries as Iterable<readonly [string, JsonValue]>) {
    if (key === "aps") {
      issues.push({
        severity: "error",
        field: "data",
        message: 'custom data cannot use the key "aps"',
      });
      continue;
    }
    if (seen.has(key)) {
      issues.push({
        severity: "error",
        field: "data",
        message: `custom data has the key "${key}" twice`,
      });
      continue;
    }
    seen.add(key);
    if (value === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }

  return { json: `{${parts.join(",")}}`, issues };
}

function orderAps(aps: Aps, issues: Issue[]): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of APS_KEY_ORDER) {
    const value = aps[key];
    if (value === undefined) continue;
    ordered[key] =
      key === "alert" && typeof value === "object"
        ? orderAlert(value as Record<string, unknown>)
        : value;
  }
  for (const key of Object.keys(aps)) {
    if (!APS_KEY_ORDER.includes(key as keyof Aps)) {
      issues.push({
        severity: "warning",
        field: `aps.${key}`,
        message: `"${key}" is not an aps field Apple knows; it is left out`,
      });
    }
  }

  return ordered;
}

function orderAlert(alert: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of ALERT_KEY_ORDER) if (alert[key] !== undefined) ordered[key] = alert[key];

  return ordered;
}

export type ApnsRequestParts = {
  headers: ApnsHeaders;
  /** The JSON body: text, or its UTF-8 bytes. */
  body: string | Uint8Array;
  deviceToken?: string;
};

export type RequestValidation = { issues: Issue[]; size: number; limit: number };

/**
 * Validate a fully specified request (as the sender is about to send it): headers, the
 * device token when given, the body's JSON shape for its push type, and its size in bytes.
 */
export function validateRequest(
  request: ApnsRequestParts,
  options: BuildOptions = {},
): RequestValidation {
  const bytes = typeof request.body === "string" ? utf8.encode(request.body) : request.body;
  const pushType = request.headers["apns-push-type"];
  const limit = isPushType(pushType)
    ? PUSH_TYPE_RULES[pushType].payloadLimit
    : PUSH_TYPE_RULES.alert.payloadLimit;
  const issues = [...checkHeaders(request.headers, options.auth)];
  if (request.deviceToken !== undefined) issues.push(...checkDeviceToken(request.deviceToken));
  issues.push(...checkSize(bytes.length, limit));

  if (bytes.length > 0 && isPushType(pushType)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(
        typeof request.body === "string" ? request.body : new TextDecoder().decode(bytes),
      );
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      issues.push({
        severity: "error",
        field: "payload",
        message: "the payload is not a JSON object",
      });
    } else {
      const aps = (parsed as { aps?: unknown }).aps;
      if (aps !== undefined && (aps === null || typeof aps !== "object" || Array.isArray(aps))) {
        issues.push({ severity: "error", field: "aps", message: "aps must be a dictionary" });
      } else if (aps === undefined && pushType !== "mdm") {
        issues.push({
          severity: "error",
          field: "aps",
          message: "the payload has no aps dictionary",
        });
      } else {
        issues.push(...checkAps(pushType, (aps ?? {}) as Aps));
      }
    }
  }

  return { issues, size: bytes.length, limit };
}

export const hasErrors = (issues: readonly Issue[]) =>
  issues.some((issue) => issue.severity === "error");
