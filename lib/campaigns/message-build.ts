// A campaign message → the exact APNs request (headers and JSON bytes) for one locale, through
// the same buildNotification the sender uses: the composer's preview, the lints and the
// dispatcher all call this, so what is previewed is what is sent (docs/campaign-message.md).

import {
  buildNotification,
  type Aps,
  type AuthKind,
  type BuiltNotification,
  type NotificationInput,
} from "@/lib/apns/browser";
import { messageLocales, resolveLocale } from "./locale";
import type { CampaignMessage } from "./message";

export type CampaignRequestOptions = {
  /** The app's bundle id: the topic is derived from it and the push type. */
  bundleId: string;
  /** A locale (a localization key or a device's locale, resolved by resolveLocale); null: default text. */
  locale?: string | null;
  /** How the request will be authenticated, when known (some push types need a .p8 key). */
  authKind?: AuthKind;
  /** The send time, for a Live Activity timestamp left to "when sent"; defaults to now. */
  sentAt?: Date;
};

/** One locale's request: exactly the headers and bytes the dispatcher sends, and its issues. */
export type CampaignRequest = BuiltNotification & {
  /** The localization used (spelled as in the message), or null for the default text. */
  locale: string | null;
};

const seconds = (isoOrDate: string | Date) =>
  Math.floor((typeof isoOrDate === "string" ? Date.parse(isoOrDate) : isoOrDate.getTime()) / 1000);

/** The text a locale shows: its localization replaces title, subtitle and body together. */
export function localizedText(message: CampaignMessage, locale: string | null) {
  const localized = locale === null ? undefined : message.localizations[locale];

  return localized ?? { title: message.title, subtitle: message.subtitle, body: message.body };
}

/** The message as the APNs library's NotificationInput (Apple's key names). */
export function toNotificationInput(
  message: CampaignMessage,
  options: CampaignRequestOptions,
): NotificationInput & { locale: string | null } {
  const locale = resolveLocale(options.locale ?? null, messageLocales(message));
  const { title, subtitle, body } = localizedText(message, locale);
  const aps: Aps = {};
  if (title || subtitle || body) {
    aps.alert = {
      ...(title && { title }),
      ...(subtitle && { subtitle }),
      ...(body && { body }),
    };
  }
  if (message.badge !== null) aps.badge = message.badge;
  const sound = message.sound;
  if (sound !== null) {
    aps.sound =
      typeof sound === "string" ? sound : { critical: 1, name: sound.name, volume: sound.volume };
  }
  if (message.threadId) aps["thread-id"] = message.threadId;
  if (message.category) aps.category = message.category;
  if (message.contentAvailable) aps["content-available"] = 1;
  if (message.mutableContent) aps["mutable-content"] = 1;
  if (message.targetContentId) aps["target-content-id"] = message.targetContentId;
  if (message.interruptionLevel !== null) aps["interruption-level"] = message.interruptionLevel;
  if (message.relevanceScore !== null) aps["relevance-score"] = message.relevanceScore;
  const activity = message.liveActivity;
  if (activity !== null) {
    aps.timestamp = seconds(activity.timestamp ?? options.sentAt ?? new Date());
    aps.event = activity.event;
    // An empty content-state is left out, so lib/apns reports "a Live Activity update needs content-state".
    if (Object.keys(activity.contentState).length > 0) aps["content-state"] = activity.contentState;
    if (activity.staleDate !== null) aps["stale-date"] = seconds(activity.staleDate);
    if (activity.dismissalDate !== null) aps["dismissal-date"] = seconds(activity.dismissalDate);
    if (activity.attributesType) aps["attributes-type"] = activity.attributesType;
    if (activity.attributes !== null) aps.attributes = activity.attributes;
  }
  // WidgetKit: content-changed: true is the whole payload and its only valid value.
  if (message.pushType === "widgets") aps["content-changed"] = true;

  return {
    locale,
    pushType: message.pushType,
    bundleId: options.bundleId,
    ...(message.priority !== null && { priority: message.priority }),
    ...(message.expiration !== null && { expiration: seconds(message.expiration) }),
    ...(message.collapseId && { collapseId: message.collapseId }),
    aps,
    data: message.data,
  };
}

/** The request for one locale, built by the sender's own buildNotification. */
export function buildCampaignRequest(
  message: CampaignMessage,
  options: CampaignRequestOptions,
): CampaignRequest {
  const { locale, ...input } = toNotificationInput(message, options);

  return { ...buildNotification(input, { auth: options.authKind }), locale };
}

/** The default text's request, then one per localization, in the message's order. */
export function buildCampaignRequests(
  message: CampaignMessage,
  options: Omit<CampaignRequestOptions, "locale">,
): CampaignRequest[] {
  return [null, ...messageLocales(message)].map((locale) =>
    buildCampaignRequest(message, { ...options, locale }),
  );
}
