// The isomorphic part of the library's public surface: no node imports, safe in a client
// component. The payload builder (the composer's live preview calls the same function as the
// dispatcher), the push-type rules, the header checks, and the reasons tables with the outcome
// types a page shows. index.ts re-exports all of it, so server code imports `@/lib/apns` only.

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

export { actionFor, parseErrorBody } from "./outcome";
export type {
  Notification,
  NotificationOutcome,
  SendFailure,
  SendOutcome,
  SendSuccess,
} from "./outcome";
