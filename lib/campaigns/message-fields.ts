// Which message fields each push type uses: the composer shows only these, and the lints warn
// about a set field outside them (it would be sent, and the device would ignore it).
// From Apple's pages per push type, summarised in docs/apns.md §6 and docs/campaign-message.md.

import { PUSH_TYPE_RULES } from "@/lib/apns/browser";
import { defaultMessage, type CampaignMessage, type CampaignPushType } from "./message";

export type MessageField = Exclude<keyof CampaignMessage, "pushType">;

const DELIVERY: MessageField[] = ["priority", "expiration", "collapseId"];
const ALERT_TEXT: MessageField[] = ["title", "subtitle", "body", "localizations"];

export const MESSAGE_FIELDS: Record<CampaignPushType, readonly MessageField[]> = {
  alert: [
    ...ALERT_TEXT,
    "badge",
    "sound",
    "threadId",
    "category",
    "interruptionLevel",
    "relevanceScore",
    "mutableContent",
    "contentAvailable",
    "targetContentId",
    "data",
    ...DELIVERY,
  ],
  // Apple: a background update carries content-available and custom data, nothing visible.
  background: ["contentAvailable", "data", ...DELIVERY],
  // ActivityKit: an update or end may carry an alert (title and body) shown with the activity.
  liveactivity: ["title", "body", "localizations", "relevanceScore", "liveActivity", ...DELIVERY],
  // PushKit, location, Push to Talk, widget, complication and File Provider pushes are read by
  // the app (or the system), not shown: their payload is custom data, if any.
  voip: ["data", ...DELIVERY],
  location: ["data", ...DELIVERY],
  // Push to Talk is sent with expiration 0 (now or never): no choice to offer.
  pushtotalk: ["data", "priority", "collapseId"],
  widgets: [...DELIVERY],
  complication: ["data", ...DELIVERY],
  fileprovider: ["data", ...DELIVERY],
};

/** A field's name in a sentence ("VoIP pushes do not use a thread-id"). */
export const MESSAGE_FIELD_LABELS: Record<MessageField, string> = {
  title: "a title",
  subtitle: "a subtitle",
  body: "a body",
  badge: "a badge",
  sound: "a sound",
  threadId: "a thread-id",
  category: "a category",
  interruptionLevel: "an interruption level",
  relevanceScore: "a relevance score",
  mutableContent: "mutable-content",
  contentAvailable: "content-available",
  targetContentId: "a target-content-id",
  liveActivity: "Live Activity fields",
  data: "custom data",
  localizations: "localized text",
  priority: "a priority",
  expiration: "an expiration",
  collapseId: "a collapse id",
};

export function usesField(pushType: CampaignPushType, field: MessageField): boolean {
  return MESSAGE_FIELDS[pushType].includes(field);
}

/** The fields of `message` holding a value (not "", null, false or empty). */
export function setFields(message: CampaignMessage): MessageField[] {
  return (Object.keys(message) as (keyof CampaignMessage)[]).filter(
    (key): key is MessageField => key !== "pushType" && !isUnset(message[key]),
  );
}

function isUnset(value: unknown): boolean {
  if (value === "" || value === null || value === false) return true;
  if (typeof value === "object" && Object.keys(value as object).length === 0) return true;

  return false;
}

/**
 * The message switched to another push type: fields the new type does not use are reset, and a
 * priority it does not accept goes back to its default. Used by the form when the type changes.
 */
export function retypeMessage(
  message: CampaignMessage,
  pushType: CampaignPushType,
): CampaignMessage {
  const fresh = defaultMessage(pushType);
  const next: CampaignMessage = { ...fresh, pushType };
  for (const field of MESSAGE_FIELDS[pushType]) {
    if (!isUnset(message[field])) Object.assign(next, { [field]: message[field] });
  }
  if (next.priority !== null && !PUSH_TYPE_RULES[pushType].priorities.includes(next.priority)) {
    next.priority = null;
  }

  return next;
}
