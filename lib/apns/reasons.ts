// Every reason APNs answers with ("Handling notification responses from APNs",
// docs/apns.md §3, §5) and what each one means for us, in ONE table.
// The retry policy (retry.ts) and the dispatcher's token hygiene both read `action` from here.

/**
 * What the caller should do about an outcome:
 * - `retry`: transient; send again later (retry.ts decides how soon).
 * - `invalidate-token`: the device token is dead for this topic; stop sending to it.
 * - `fix-request`: the request itself is wrong; sending it again unchanged fails again.
 * - `fix-credential`: the key, certificate, team or environment is wrong; every push will fail.
 * - `refresh-token`: mint a new provider token (JWT) once and resend once.
 */
export type ReasonAction =
  "retry" | "invalidate-token" | "fix-request" | "fix-credential" | "refresh-token";

export type ReasonInfo = {
  /** The HTTP status APNs sends with it; 0 for failures that never got an HTTP answer. */
  status: number;
  meaning: string;
  action: ReasonAction;
  /** The request was never processed by APNs: resend at once, no duplicate possible. */
  retryImmediately?: boolean;
};

const info = (
  status: number,
  action: ReasonAction,
  meaning: string,
  retryImmediately?: boolean,
): ReasonInfo =>
  retryImmediately ? { status, meaning, action, retryImmediately } : { status, meaning, action };

export const APNS_REASONS = {
  /** 400: the `apns-collapse-id` is longer than 64 bytes. Fix the campaign. */
  BadCollapseId: info(400, "fix-request", "The collapse identifier is longer than 64 bytes."),
  /**
   * 400: the token is malformed, or belongs to the other environment. Never retried (Apple);
   * one at a time it invalidates the token, on every token at once it means a wrong environment.
   */
  BadDeviceToken: info(
    400,
    "invalidate-token",
    "The device token is malformed or belongs to the other environment.",
  ),
  /** 400: `apns-expiration` is malformed. */
  BadExpirationDate: info(400, "fix-request", "The expiration header is not a valid UNIX time."),
  /** 400: `apns-id` is not a canonical lowercase UUID. */
  BadMessageId: info(400, "fix-request", "The apns-id header is not a valid UUID."),
  /** 400: `apns-priority` is not 10, 5 or 1 (or not allowed for the push type). */
  BadPriority: info(400, "fix-request", "The priority is not allowed."),
  /** 400: `apns-topic` is malformed or does not match the push type. */
  BadTopic: info(400, "fix-request", "The topic is not valid."),
  /** 400: the token belongs to another app or topic. Never retried (Apple). */
  DeviceTokenNotForTopic: info(
    400,
    "invalidate-token",
    "The device token does not belong to this topic.",
  ),
  /** 400: a header appears twice. */
  DuplicateHeaders: info(400, "fix-request", "A header was repeated."),
  /** 400: the connection was idle too long; usually in a GOAWAY. Nothing was processed: reconnect and resend. */
  IdleTimeout: info(400, "retry", "The connection was idle too long.", true),
  /** 400: `apns-push-type` has a value APNs does not know. */
  InvalidPushType: info(400, "fix-request", "The push type is not valid."),
  /** 400: the path has no device token. */
  MissingDeviceToken: info(400, "fix-request", "No device token was given."),
  /** 400: `apns-topic` is required (token auth, or a multi-topic certificate) but absent. */
  MissingTopic: info(400, "fix-request", "The topic header is required."),
  /** 400: the body is empty. */
  PayloadEmpty: info(400, "fix-request", "The payload is empty."),
  /** 400: this credential may not push to this topic. */
  TopicDisallowed: info(
    400,
    "fix-credential",
    "Pushing to this topic is not allowed with this credential.",
  ),
  /** 403: the client certificate was refused. */
  BadCertificate: info(403, "fix-credential", "The certificate is not valid."),
  /** 403: a sandbox certificate on the production host, or the reverse. */
  BadCertificateEnvironment: info(
    403,
    "fix-credential",
    "The certificate is for the other environment.",
  ),
  /** 403: the JWT is more than an hour old: mint one new token and resend once. */
  ExpiredProviderToken: info(403, "refresh-token", "The provider token is older than one hour."),
  /** 403: the action is not allowed, typically a revoked or disabled key. Never retried (Apple). */
  Forbidden: info(403, "fix-credential", "The action is not allowed; the key may be revoked."),
  /** 403: the JWT signature, key id or team id could not be verified. */
  InvalidProviderToken: info(
    403,
    "fix-credential",
    "The provider token's signature, key id or team id is not valid.",
  ),
  /** 403: neither a client certificate nor a bearer token was presented. */
  MissingProviderToken: info(
    403,
    "fix-credential",
    "No certificate and no provider token were given.",
  ),
  /** 403: the key id is unrelated to the key that opened the connection: open a new connection. */
  UnrelatedKeyIdInToken: info(
    403,
    "fix-credential",
    "The key is unrelated to the key that opened this connection.",
  ),
  /** 403: the key is restricted to the other environment (2025 environment-scoped keys). */
  BadEnvironmentKeyIdInToken: info(
    403,
    "fix-credential",
    "The key is restricted to the other environment.",
  ),
  /** 403: spelling seen from production hosts for BadEnvironmentKeyIdInToken (observed). */
  BadEnvironmentKeyInToken: info(
    403,
    "fix-credential",
    "The key is restricted to the other environment.",
  ),
  /** 404: the `:path` is not `/3/device/<token>`. */
  BadPath: info(404, "fix-request", "The request path is not valid."),
  /** 405: a method other than POST. */
  MethodNotAllowed: info(405, "fix-request", "Only POST is allowed."),
  /** 410: the device token has expired. Never retried (Apple). */
  ExpiredToken: info(410, "invalidate-token", "The device token has expired."),
  /**
   * 410: the token is no longer active for the topic; carries `timestamp`. Delete the token only
   * if it was last registered before that time (a reinstall re-registers the same token).
   */
  Unregistered: info(
    410,
    "invalidate-token",
    "The device token is no longer active for this topic.",
  ),
  /** 413: the payload is over 4096 bytes (5120 for VoIP). Never retried (Apple). */
  PayloadTooLarge: info(413, "fix-request", "The payload is too large."),
  /** 429: the JWT changed more often than every 20 minutes; keep using one token per key. */
  TooManyProviderTokenUpdates: info(429, "retry", "The provider token was renewed too often."),
  /** 429: too many pushes to the same device; Apple allows a retry after a delay. */
  TooManyRequests: info(429, "retry", "Too many notifications were sent to this device."),
  /** 500: an APNs fault; back off and retry. */
  InternalServerError: info(500, "retry", "APNs had an internal error."),
  /** 503: APNs is overloaded; back off and retry. */
  ServiceUnavailable: info(503, "retry", "APNs is unavailable."),
  /** 503: this server is shutting down and did not process the request: resend at once elsewhere. */
  Shutdown: info(503, "retry", "The APNs server is shutting down.", true),
} as const satisfies Record<string, ReasonInfo>;

export type ApnsReason = keyof typeof APNS_REASONS;

export function isApnsReason(value: unknown): value is ApnsReason {
  return typeof value === "string" && Object.hasOwn(APNS_REASONS, value);
}

/**
 * Apple: "Don't retry notification responses with the error code BadDeviceToken,
 * DeviceTokenNotForTopic, Forbidden, ExpiredToken, Unregistered, or PayloadTooLarge."
 */
export const NEVER_RETRY: readonly ApnsReason[] = [
  "BadDeviceToken",
  "DeviceTokenNotForTopic",
  "Forbidden",
  "ExpiredToken",
  "Unregistered",
  "PayloadTooLarge",
];

/** What to do about a reason; unknown reasons are judged by their HTTP status. */
/** Whether sending again (after waiting, or with a new provider token) can succeed. */
export function isRetryable(action: ReasonAction): boolean {
  return action === "retry" || action === "refresh-token";
}

export function classifyReason(reason: string | undefined, status: number): ReasonAction {
  if (isApnsReason(reason)) return APNS_REASONS[reason].action;
  if (status >= 500 || status === 429) return "retry";
  if (status === 403) return "fix-credential";
  if (status === 410) return "invalidate-token";

  return "fix-request";
}
