import { apiRoute } from "@/lib/api/route";
import {
  CAMPAIGN_MAX_BODY_BYTES,
  createCampaignSchema,
  findCampaignsSchema,
} from "@/lib/campaigns/campaign-schema";
import { createCampaign } from "@/lib/campaigns/campaigns";
import { findCampaigns } from "@/lib/campaigns/find-campaigns";

export const dynamic = "force-dynamic";

/** POST /api/v1/campaigns: a new draft, its audience counted. 201. */
export const POST = apiRoute(
  {
    access: { permission: "campaigns.write", scope: "campaigns:write" },
    schema: createCampaignSchema,
    maxBodyBytes: CAMPAIGN_MAX_BODY_BYTES,
  },
  async ({ principal, input, request }) => ({
    status: 201,
    body: await createCampaign(principal, input, { ip: request.ip }),
  }),
);

/** GET /api/v1/campaigns?status=&app=&search=&limit=&cursor=: newest first, keyset pages. */
export const GET = apiRoute(
  {
    access: { permission: "campaigns.read", scope: "campaigns:read" },
    schema: findCampaignsSchema,
  },
  async ({ principal, input }) => ({ body: await findCampaigns(principal, input) }),
);
