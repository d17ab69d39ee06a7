import { apiRoute } from "@/lib/api/route";
import {
  CAMPAIGN_MAX_BODY_BYTES,
  campaignPatchSchema,
  campaignRefSchema,
} from "@/lib/campaigns/campaign-schema";
import { getCampaign, updateCampaign } from "@/lib/campaigns/campaigns";
import { campaignIdParam } from "../params";

export const dynamic = "force-dynamic";

/** GET /api/v1/campaigns/{id}: the campaign, its message, audience and audience count. */
export const GET = apiRoute(
  { access: { permission: "campaigns.read", scope: "campaigns:read" }, schema: campaignRefSchema },
  async ({ principal, input }) => ({ body: await getCampaign(principal, input) }),
);

/** PATCH /api/v1/campaigns/{id}: drafts only (409 otherwise); only the fields sent change. */
export const PATCH = apiRoute(
  {
    access: { permission: "campaigns.write", scope: "campaigns:write" },
    schema: campaignPatchSchema,
    maxBodyBytes: CAMPAIGN_MAX_BODY_BYTES,
  },
  async ({ principal, input, request }) => ({
    body: await updateCampaign(
      principal,
      { ...input, id: campaignIdParam(request) },
      { ip: request.ip },
    ),
  }),
);
