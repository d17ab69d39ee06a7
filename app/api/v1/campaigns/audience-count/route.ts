import { apiRoute } from "@/lib/api/route";
import { audienceTargetSchema, countAudience } from "@/lib/campaigns/audience";
import { CAMPAIGN_MAX_BODY_BYTES } from "@/lib/campaigns/campaign-schema";

export const dynamic = "force-dynamic";

/** POST /api/v1/campaigns/audience-count { app, environment, audience } → { count }. */
export const POST = apiRoute(
  {
    access: { permission: "campaigns.read", scope: "campaigns:read" },
    schema: audienceTargetSchema,
    // Up to 100,000 pasted user ids or tokens.
    maxBodyBytes: CAMPAIGN_MAX_BODY_BYTES,
  },
  async ({ principal, input }) => ({ body: await countAudience(principal, input) }),
);
