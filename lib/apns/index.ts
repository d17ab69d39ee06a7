// The public surface of the APNs sender. Framework-free: node builtins, jose, node-forge.
// The payload builder (payload.ts, push-types.ts, payload-types.ts) is isomorphic; the browser
// should import those files directly rather than this index, which also pulls in node:tls.

export { buildNotification, validateRequest, hasErrors } from "./payload";
export type { ApnsRequestParts, BuildOptions, RequestValidation } from "./payload";
export type {
  ApnsHeaders,
  Aps,
  ApsAlert,
  AuthKind,
  BuiltNotification,
  CriticalSound,
  CustomData,
  InterruptionLevel,
  Issue,
  IssueSeverity,
  JsonObject,
  JsonValue,
  LiveActivityEvent,
  NotificationInput,
} from "./payload-types";
export {
  PAYLOAD_LIMIT_BYTES,
  PRIORITIES,
  PUSH_TYPES,
  PUSH_TYPE_RULES,
  VOIP_PAYLOAD_LIMIT_BYTES,
  isPushType,
  requiresTokenAuth,
  topicFor,
} from "./push-types";
export type { Priority, PushType, PushTypeRule } from "./push-types";
export { COLLAPSE_ID_MAX_BYTES, checkDeviceToken } from "./header-checks";

export { APNS_REASONS, NEVER_RETRY, classifyReason, isApnsReason } from "./reasons";
export type { ApnsReason, ReasonAction, ReasonInfo } from "./reasons";
export { TRANSPORT_REASONS, classifyTransportError } from "./transport-reasons";
export type { TransportReason } from "./transport-reasons";

export {
  ProviderTokenSource,
  TOKEN_DEFAULT_RENEW_MS,
  TOKEN_MAX_AGE_MS,
  TOKEN_MIN_RENEW_MS,
} from "./provider-token";
export type { ProviderToken, ProviderTokenOptions } from "./provider-token";
export { MemoryProviderTokenStore } from "./provider-token-store";
export type { ProviderTokenStore, StoredProviderToken } from "./provider-token-store";

export {
  APNS_ALTERNATE_PORT,
  APNS_HOSTS,
  APNS_PORT,
  readP12,
  resolveEndpoint,
} from "./credentials";
export type {
  ApnsCredential,
  ApnsEnvironment,
  CertificateCredential,
  Endpoint,
  TokenCredential,
} from "./credentials";
export { readCertIdentity } from "./certificate-identity";
export type { CertIdentity } from "./certificate-identity";

export { DEFAULT_RETRY_OPTIONS, RETRY_POLICY, backoffDelay, decideRetry } from "./retry";
export type { RetryDecision, RetryOptions, RetryRule } from "./retry";

export { ApnsClient } from "./client";
export { APNS_TRANSPORTS, isApnsTransport } from "./transport";
export type { ApnsTransport } from "./transport";
export type { ApnsClientOptions } from "./client";
export { actionFor, parseErrorBody } from "./outcome";
export type {
  Notification,
  NotificationOutcome,
  SendFailure,
  SendOutcome,
  SendSuccess,
} from "./outcome";
export type { SendManyOptions } from "./send-many";
export type { PoolStats } from "./pool";
