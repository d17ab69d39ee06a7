import { z } from "zod";
import { bundleIdSchema, environmentSchema } from "@/lib/validations/device";
import { audienceSchema } from "./audience-schema";
import { campaignMessageSchema } from "./message";
import { API_CAMPAIGN_STATUSES } from "./status";

/**
 * The campaign's inputs, shared by the composer's forms (zodResolver), its server actions, the
 * campaigns API and the CLI: one schema each, parsed again inside the data function. Isomorphic.
 * The app is named by bundle id everywhere (the pickers' AppChoice carries it).
 */
export const CAMPAIGN_NAME_MAX = 200;
export const CAMPAIGN_PAGE_MAX = 100;
/**
 * Largest campaign body the API reads: an audience may paste 100,000 user ids or tokens
 * (audience-schema.ts), about 20 MB of JSON at most.
 */
export const CAMPAIGN_MAX_BODY_BYTES = 32 * 1024 * 1024;
/** At most this many messages a minute per campaign (the throttle); null sends as fast as allowed. */
export const RATE_PER_MINUTE_MAX = 1_000_000;

export const campaignNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name")
  .max(CAMPAIGN_NAME_MAX, `at most ${CAMPAIGN_NAME_MAX} characters`);
export const campaignIdSchema = z.string().min(1, "campaign id is required").max(64);

export const createCampaignSchema = z.strictObject({
  name: campaignNameSchema,
  app: bundleIdSchema,
  /** Omitted: the app's default environment. */
  environment: environmentSchema.optional(),
  message: campaignMessageSchema,
  audience: audienceSchema.default({ all: true }),
});
export type CreateCampaignInput = z.input<typeof createCampaignSchema>;

/** PATCH of a draft (autosave): only what is sent changes; message and audience are replaced whole. */
export const campaignPatchSchema = z.strictObject({
  name: campaignNameSchema.optional(),
  app: bundleIdSchema.optional(),
  environment: environmentSchema.optional(),
  message: campaignMessageSchema.optional(),
  audience: audienceSchema.optional(),
});
export type CampaignPatch = z.input<typeof campaignPatchSchema>;

export const updateCampaignSchema = campaignPatchSchema.extend({ id: campaignIdSchema });
export type UpdateCampaignInput = z.input<typeof updateCampaignSchema>;

export const campaignRefSchema = z.strictObject({ id: campaignIdSchema });
export type CampaignRef = z.input<typeof campaignRefSchema>;

const OFFSET = /(Z|[+-]\d{2}:\d{2})$/i;

/**
 * When and how fast. `at`: null sends now; else a date-time with an offset, or — with localTime —
 * a wall-clock time without one, read in each device's time zone ("9:00 wherever they are").
 */
export const scheduleSchema = z
  .strictObject({
    at: z.iso
      .datetime({ offset: true, local: true, error: "a date and time (ISO 8601), or null for now" })
      .nullable()
      .default(null),
    localTime: z.boolean().default(false),
    ratePerMinute: z
      .number()
      .int("a whole number of messages a minute")
      .min(1, "at least 1 message a minute")
      .max(RATE_PER_MINUTE_MAX, `at most ${RATE_PER_MINUTE_MAX.toLocaleString("en-US")} a minute`)
      .nullable()
      .default(null),
  })
  .superRefine((value, ctx) => {
    if (value.localTime && value.at === null)
      ctx.addIssue({
        code: "custom",
        path: ["at"],
        message: "a local time needs a date and time, e.g. 2026-12-24T09:00:00",
      });
    if (value.at === null) return;
    if (value.localTime && OFFSET.test(value.at))
      ctx.addIssue({
        code: "custom",
        path: ["at"],
        message: "a local time has no offset: each device's own time zone applies",
      });
    if (!value.localTime && !OFFSET.test(value.at))
      ctx.addIssue({
        code: "custom",
        path: ["at"],
        message: "give the time zone: Z or an offset such as +01:00",
      });
  });
export type ScheduleInput = z.input<typeof scheduleSchema>;

export const scheduleCampaignSchema = scheduleSchema.safeExtend({ id: campaignIdSchema });
export type ScheduleCampaignInput = z.input<typeof scheduleCampaignSchema>;

/** An empty query parameter (`?status=`) means no filter. */
const query = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

/** Keyset cursor "<createdAt ms, base 36>_<id>" (find-campaigns.ts). */
export const CAMPAIGN_CURSOR = /^[0-9a-z]{1,12}_[0-9a-z]{1,64}$/;

export const findCampaignsSchema = z.strictObject({
  status: query(
    z.enum(API_CAMPAIGN_STATUSES, `status is one of ${API_CAMPAIGN_STATUSES.join(", ")}`),
  ),
  app: query(bundleIdSchema),
  search: query(z.string().trim().max(CAMPAIGN_NAME_MAX)),
  limit: z.coerce.number().int().min(1).max(CAMPAIGN_PAGE_MAX).default(50),
  cursor: query(
    z
      .string()
      .regex(
        CAMPAIGN_CURSOR,
        "cursor is not one this list returned; use nextCursor from the previous page",
      ),
  ),
});
export type FindCampaignsInput = z.input<typeof findCampaignsSchema>;

/** The composer's live count by bundle id (the API takes audience.ts's audienceTargetSchema). */
export const audienceCountSchema = z.strictObject({
  app: bundleIdSchema,
  environment: environmentSchema.optional(),
  audience: audienceSchema,
});
export type AudienceCountInput = z.input<typeof audienceCountSchema>;
