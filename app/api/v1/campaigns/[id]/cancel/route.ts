import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { cancelCampaign } from "@/lib/campaigns/schedule";
import { campaignIdParam } from "../../params";

export const dynamic = "force-dynamic";

/** POST /api/v1/campaigns/{id}/cancel: a scheduled, sending or paused campaign → cancelled. */
export const POST = apiRoute(
  {
    access: { permission: "campaigns.send", scope: "campaigns:write" },
    schema: z.strictObject({}),
    bodyOptional: true,
  },
  async ({ principal, request }) => ({
    body: await cancelCampaign(principal, { id: campaignIdParam(request) }, { ip: request.ip }),
  }),
);
