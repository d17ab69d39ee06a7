import { z } from "zod";
import {
  tagSchema,
  textSchema,
  tokenSchema,
  userIdSchema,
  SHORT_STRING_MAX,
} from "@/lib/validations/device";

/**
 * Who a campaign goes to: every active device of the app in the campaign's environment
 * (`{ all: true }`), or a segment of them. Isomorphic (zod only): the composer's form, the server
 * actions, the campaigns API and the dispatcher parse the same object. The SQL meaning of each
 * field is in lib/campaigns/audience-sql.ts and docs/audiences.md.
 */

/** Pasted or uploaded user ids and tokens: a CSV of 100,000 rows is the largest list. */
export const AUDIENCE_LIST_MAX = 100_000;
/** Tags, locales, versions and time zones are picked by hand. */
export const AUDIENCE_VALUES_MAX = 200;
export const REGISTERED_WITHIN_DAYS_MAX = 3650;

// A language tag, "fr", "fr-CA", "zh-Hant-TW" or Apple's "fr_CA". Letters, digits, "-" and "_"
// only, so a value can never act as a LIKE wildcard or reach SQL as anything but a parameter.
const LOCALE = /^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$/;

/** The form locales take in the SQL comparison: lower case, "_" read as "-" (docs/audiences.md). */
export const normalizeLocale = (locale: string) => locale.trim().toLowerCase().replace(/_/g, "-");

const localeSchema = z
  .string()
  .trim()
  .regex(LOCALE, 'locales must be language tags such as "fr" or "fr-CA"')
  .transform(normalizeLocale);

// Empty lists mean "no condition": a form whose last chip was removed sends [], not an error.
const list = <T extends z.ZodType<string>>(item: T, name: string, max: number) =>
  z
    .array(item)
    .max(max, `${name}: at most ${max.toLocaleString("en-US")} values`)
    .transform((values) => [...new Set(values as string[])]);

const values = (name: string) =>
  list(textSchema(name, SHORT_STRING_MAX), name, AUDIENCE_VALUES_MAX).optional();

const segmentFields = {
  tags: z
    .strictObject({
      any: list(tagSchema, "tags.any", AUDIENCE_VALUES_MAX).optional(),
      all: list(tagSchema, "tags.all", AUDIENCE_VALUES_MAX).optional(),
      none: list(tagSchema, "tags.none", AUDIENCE_VALUES_MAX).optional(),
    })
    .optional(),
  locales: list(localeSchema, "locales", AUDIENCE_VALUES_MAX).optional(),
  appVersions: values("appVersions"),
  osVersions: values("osVersions"),
  timeZones: values("timeZones"),
  registeredWithinDays: z
    .number()
    .int("registeredWithinDays must be a whole number of days")
    .min(1, "registeredWithinDays must be at least 1")
    .max(
      REGISTERED_WITHIN_DAYS_MAX,
      `registeredWithinDays must be at most ${REGISTERED_WITHIN_DAYS_MAX}`,
    )
    .optional(),
  userIds: list(userIdSchema, "userIds", AUDIENCE_LIST_MAX).optional(),
  tokens: list(tokenSchema, "tokens", AUDIENCE_LIST_MAX).optional(),
};

/** A segment after parsing: only the conditions that hold something; every list deduplicated. */
export type AudienceSegment = {
  tags?: { any?: string[]; all?: string[]; none?: string[] };
  locales?: string[];
  appVersions?: string[];
  osVersions?: string[];
  timeZones?: string[];
  registeredWithinDays?: number;
  userIds?: string[];
  tokens?: string[];
};
export type Audience = { all: true } | AudienceSegment;

const LIST_FIELDS = [
  "locales",
  "appVersions",
  "osVersions",
  "timeZones",
  "userIds",
  "tokens",
] as const;

function compact(raw: z.output<z.ZodObject<typeof segmentFields>>): AudienceSegment {
  const segment: AudienceSegment = {};
  for (const key of LIST_FIELDS) if (raw[key]?.length) segment[key] = raw[key];
  if (raw.registeredWithinDays !== undefined)
    segment.registeredWithinDays = raw.registeredWithinDays;
  const tags = Object.fromEntries(
    Object.entries(raw.tags ?? {}).filter(([, list]) => list && list.length > 0),
  );
  if (Object.keys(tags).length) segment.tags = tags;

  return segment;
}

export const EMPTY_SEGMENT_MESSAGE =
  "the segment is empty: choose at least one condition (tags, locales, versions, time zones, " +
  'last registered, user ids or tokens), or { "all": true } for every active device';

export const audienceSchema = z
  .strictObject({ all: z.literal(true).optional(), ...segmentFields })
  .transform((raw, ctx): Audience => {
    // An unknown field reaches here with its own issue; "empty" on top of it would mislead.
    if (ctx.issues.length) return raw.all ? { all: true } : {};
    const segment = compact(raw);
    const conditions = Object.keys(segment).length;
    if (raw.all && conditions > 0)
      ctx.addIssue({
        code: "custom",
        path: ["all"],
        message: '"all": true cannot be combined with segment conditions',
      });
    if (!raw.all && conditions === 0)
      ctx.addIssue({ code: "custom", message: EMPTY_SEGMENT_MESSAGE });

    return raw.all ? { all: true } : segment;
  });
export type AudienceInput = z.input<typeof audienceSchema>;

export const isAllAudience = (audience: Audience): audience is { all: true } =>
  "all" in audience && audience.all === true;
