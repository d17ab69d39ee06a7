import { apiRoute } from "@/lib/api/route";
import { scheduleSchema } from "@/lib/campaigns/campaign-schema";
import { scheduleCampaign } from "@/lib/campaigns/schedule";
import { campaignIdParam } from "../../params";

export const dynamic = "force-dynamic";

/** POST /api/v1/campaigns/{id}/schedule { at, localTime, ratePerMinute }: a draft → scheduled. */
export const POST = apiRoute(
  {
    access: { permission: "campaigns.send", scope: "campaigns:write" },
    schema: scheduleSchema,
    bodyOptional: true,
  },
  async ({ principal, input, request }) => ({
    body: await scheduleCampaign(
      principal,
      { ...input, id: campaignIdParam(request) },
      { ip: request.ip },
    ),
  }),
);
