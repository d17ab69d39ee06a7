import { z } from "zod";
import { audienceTargetSchema } from "@/lib/campaigns/audience";
import { audienceSchema } from "@/lib/campaigns/audience-schema";
import {
  campaignPatchSchema,
  CAMPAIGN_PAGE_MAX,
  createCampaignSchema,
  scheduleSchema,
} from "@/lib/campaigns/campaign-schema";
import { campaignMessageSchema } from "@/lib/campaigns/message";
import { API_CAMPAIGN_STATUSES } from "@/lib/campaigns/status";
import { API_ENVIRONMENTS } from "@/lib/validations/device";

/**
 * The campaigns part of the OpenAPI document (document.ts): response shapes as zod schemas, which
 * tests/integration/campaigns-api.test.ts parses real responses with, and the paths.
 */
const person = z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable();
const date = z.iso.datetime();

export const campaignSummaryResponseSchema = z.object({
  id: z.string(),
  name: z.string(),
  app: z.object({ id: z.string(), bundleId: z.string(), name: z.string() }),
  environment: z.enum(API_ENVIRONMENTS),
  status: z.enum(API_CAMPAIGN_STATUSES),
  pushType: z.string(),
  audienceCount: z.number().int().nullable().describe("the audience's size at the last save"),
  scheduledAt: date
    .nullable()
    .describe("the send time; with localTime, the wall-clock time written as UTC"),
  localTime: z.boolean(),
  ratePerMinute: z.number().int().nullable(),
  createdBy: person,
  createdAt: date,
  updatedAt: date,
});

export const campaignResponseSchema = campaignSummaryResponseSchema.extend({
  message: campaignMessageSchema,
  audience: audienceSchema,
  updatedBy: person,
  totalCount: z.number().int(),
  startedAt: date.nullable(),
  completedAt: date.nullable(),
  pausedReason: z.string().nullable(),
});

export const campaignPageResponseSchema = z.object({
  campaigns: z.array(campaignSummaryResponseSchema),
  nextCursor: z.string().nullable(),
});

export const audienceCountResponseSchema = z.object({ count: z.number().int().min(0) });

type Helpers = {
  schema: (s: z.ZodType, io?: "input" | "output") => Record<string, unknown>;
  ref: (name: string) => unknown;
  json: (name: string) => unknown;
  problem: (description: string) => unknown;
  errors: Record<number, unknown>;
  bodyErrors: Record<number, unknown>;
};

export function campaignSchemas({ schema }: Helpers): Record<string, unknown> {
  return {
    CampaignCreate: schema(createCampaignSchema),
    CampaignPatch: schema(campaignPatchSchema),
    CampaignSchedule: schema(scheduleSchema),
    AudienceCountRequest: schema(audienceTargetSchema),
    Campaign: schema(campaignResponseSchema, "output"),
    CampaignPage: schema(campaignPageResponseSchema, "output"),
    AudienceCount: schema(audienceCountResponseSchema, "output"),
  };
}

export function campaignPaths({ json, problem, errors, bodyErrors }: Helpers) {
  const idPath = { name: "id", in: "path", required: true, schema: { type: "string" } };
  const notFound = { 404: problem("No such campaign (or not within the key's app)") };
  const conflict = (what: string) => ({ 409: problem(what) });
  const campaign = (description: string) => ({ description, content: json("Campaign") });
  const query = (name: string, schema: unknown, description?: string) => ({
    name,
    in: "query",
    required: false,
    ...(description && { description }),
    schema,
  });

  return {
    "/api/v1/campaigns": {
      post: {
        operationId: "createCampaign",
        summary: "Create a draft campaign (scope campaigns:write)",
        description:
          'The app by bundle id; environment defaults to the app\'s. `audience` is `{ "all": true }` (the default) or a segment. The audience is counted now (`audienceCount`).',
        requestBody: { required: true, content: json("CampaignCreate") },
        responses: { 201: campaign("The new draft"), ...bodyErrors },
      },
      get: {
        operationId: "listCampaigns",
        summary: "Campaigns, newest first (scope campaigns:read)",
        parameters: [
          query("status", { type: "string", enum: [...API_CAMPAIGN_STATUSES] }),
          query("app", { type: "string" }, "bundle id of the app"),
          query("search", { type: "string" }, "part of the name"),
          query("limit", { type: "integer", minimum: 1, maximum: CAMPAIGN_PAGE_MAX, default: 50 }),
          query("cursor", { type: "string" }, "nextCursor of the previous page"),
        ],
        responses: {
          200: { description: "A page of campaigns", content: json("CampaignPage") },
          ...errors,
        },
      },
    },
    "/api/v1/campaigns/{id}": {
      parameters: [idPath],
      get: {
        operationId: "getCampaign",
        summary: "A campaign with its message, audience and audience count (scope campaigns:read)",
        responses: { 200: campaign("The campaign"), ...notFound, ...errors },
      },
      patch: {
        operationId: "updateCampaign",
        summary: "Change a draft (scope campaigns:write)",
        description:
          "Only the fields sent change; `message` and `audience` are replaced whole. Drafts only: any other status is 409.",
        requestBody: { required: true, content: json("CampaignPatch") },
        responses: {
          200: campaign("The updated draft"),
          ...notFound,
          ...conflict("The campaign is not a draft"),
          ...bodyErrors,
        },
      },
    },
    "/api/v1/campaigns/{id}/schedule": {
      parameters: [idPath],
      post: {
        operationId: "scheduleCampaign",
        summary: "Schedule a draft (scope campaigns:write)",
        description:
          "`at`: null sends now; a date-time with an offset; or, with `localTime`, a wall-clock time without one, read in each device's time zone. `ratePerMinute` throttles. Refused (422) while the message has errors (each listed with its field, e.g. `message.priority`) or the audience is empty.",
        requestBody: { required: false, content: json("CampaignSchedule") },
        responses: {
          200: campaign("The scheduled campaign"),
          ...notFound,
          ...conflict("Only a draft can be scheduled"),
          ...bodyErrors,
        },
      },
    },
    "/api/v1/campaigns/{id}/cancel": {
      parameters: [idPath],
      post: {
        operationId: "cancelCampaign",
        summary: "Cancel a scheduled, sending or paused campaign (scope campaigns:write)",
        responses: {
          200: campaign("The cancelled campaign"),
          ...notFound,
          ...conflict("The campaign cannot be cancelled from its status"),
          ...errors,
        },
      },
    },
    "/api/v1/campaigns/audience-count": {
      post: {
        operationId: "countAudience",
        summary: "How many active devices an audience holds now (scope campaigns:read)",
        requestBody: { required: true, content: json("AudienceCountRequest") },
        responses: {
          200: { description: "The count", content: json("AudienceCount") },
          404: problem("No such app"),
          ...bodyErrors,
        },
      },
    },
  };
}
