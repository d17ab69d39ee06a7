// The campaign message: what a marketer composes, in camelCase, shared by the composer form
// (zodResolver), the server actions, the API and the dispatcher. Isomorphic: no node imports.
// The schema is structural (types, lengths, formats) so the form can show a field error at once;
// Apple's rules (priorities per push type, sizes, Live Activity keys…) are lints
// (message-lint.ts), because they depend on the push type, the app and the locale
// (docs/campaign-message.md).

import { z } from "zod";
import { PUSH_TYPES, type JsonObject, type PushType } from "@/lib/apns/browser";

/** The push types a campaign can send: every APNs type but `mdm` (its topic and PushMagic come
 *  from an MDM enrolment, not an app) and `controls` (not offered by the composer yet). */
export const CAMPAIGN_PUSH_TYPES = PUSH_TYPES.filter(
  (type): type is CampaignPushType => type !== "mdm" && type !== "controls",
);
export type CampaignPushType = Exclude<PushType, "mdm" | "controls">;

/** Bounds on text a person types; the payload limit (4 KB) is the real bound, checked by lints. */
export const MESSAGE_LIMITS = {
  title: 250,
  subtitle: 250,
  body: 4096,
  /** thread-id, category, target-content-id, sound file names, attributes-type. */
  identifier: 256,
  collapseId: 256,
  localeKey: 35,
} as const;

const text = (max: number) => z.string().max(max, `at most ${max} characters`).default("");
const identifier = () => text(MESSAGE_LIMITS.identifier);
const dateTime = () => z.iso.datetime({ offset: true, error: "a date and time (ISO 8601)" });
const jsonObject = () => z.record(z.string(), z.json()) as unknown as z.ZodType<JsonObject>;

/** null: no sound; a string: "default" or a sound file in the app bundle; or a critical alert. */
export const soundSchema = z
  .union([
    z.string().min(1, "a sound file name, or default").max(MESSAGE_LIMITS.identifier),
    z.strictObject({
      critical: z.literal(true),
      name: z.string().min(1, "a sound file name, or default").max(MESSAGE_LIMITS.identifier),
      /** 0 (silent) to 1 (full); checked by the lints so the form shows Apple's wording. */
      volume: z.number().default(1),
    }),
  ])
  .nullable()
  .default(null);

export const liveActivitySchema = z.strictObject({
  event: z.enum(["start", "update", "end"]),
  contentState: jsonObject().default({}),
  /** null: the moment the dispatcher sends it (a stored time would make later sends look stale). */
  timestamp: dateTime().nullable().default(null),
  staleDate: dateTime().nullable().default(null),
  dismissalDate: dateTime().nullable().default(null),
  attributesType: identifier(),
  attributes: jsonObject().nullable().default(null),
});

/** A locale's text; it replaces the default title, subtitle and body together. */
export const localizationSchema = z.strictObject({
  title: text(MESSAGE_LIMITS.title),
  subtitle: text(MESSAGE_LIMITS.subtitle),
  body: text(MESSAGE_LIMITS.body),
});

/** Empty strings and nulls mean "not set": nothing is sent for them. */
export const campaignMessageSchema = z.strictObject({
  pushType: z.enum(CAMPAIGN_PUSH_TYPES as [CampaignPushType, ...CampaignPushType[]]),
  title: text(MESSAGE_LIMITS.title),
  subtitle: text(MESSAGE_LIMITS.subtitle),
  body: text(MESSAGE_LIMITS.body),
  /** null leaves the badge as it is; 0 clears it. */
  badge: z
    .number()
    .int("a whole number")
    .min(0, "0 or more (0 clears the badge)")
    .nullable()
    .default(null),
  sound: soundSchema,
  threadId: identifier(),
  category: identifier(),
  interruptionLevel: z
    .enum(["passive", "active", "time-sensitive", "critical"])
    .nullable()
    .default(null),
  /** 0–1, checked by the lints. */
  relevanceScore: z.number().nullable().default(null),
  mutableContent: z.boolean().default(false),
  contentAvailable: z.boolean().default(false),
  targetContentId: identifier(),
  liveActivity: liveActivitySchema.nullable().default(null),
  /** Custom keys sent beside `aps`. */
  data: jsonObject().default({}),
  /** Locale (BCP 47, e.g. "fr", "fr-CA") → its text; devices fall back fr-CA → fr → default. */
  localizations: z
    .record(z.string().min(1).max(MESSAGE_LIMITS.localeKey), localizationSchema)
    .default({}),
  /** null: the push type's own default (10, or 5 for background). */
  priority: z
    .union([z.literal(10), z.literal(5), z.literal(1)], "priority 10, 5 or 1")
    .nullable()
    .default(null),
  /** null: Apple's default storage; a date-time: stop trying after it. */
  expiration: dateTime().nullable().default(null),
  collapseId: text(MESSAGE_LIMITS.collapseId),
});

export type CampaignMessage = z.output<typeof campaignMessageSchema>;
export type CampaignMessageInput = z.input<typeof campaignMessageSchema>;
export type CampaignSound = CampaignMessage["sound"];
export type CampaignLiveActivity = NonNullable<CampaignMessage["liveActivity"]>;
export type CampaignLocalization = z.output<typeof localizationSchema>;

/** A new draft of the given push type, ready for the form: every field present. */
export function defaultMessage(pushType: CampaignPushType = "alert"): CampaignMessage {
  const message = campaignMessageSchema.parse({ pushType });
  if (pushType === "alert") message.sound = "default";
  // Apple: a background update must carry content-available (docs/apns.md §6).
  if (pushType === "background") message.contentAvailable = true;
  if (pushType === "liveactivity") {
    message.liveActivity = liveActivitySchema.parse({ event: "update" });
  }

  return message;
}
