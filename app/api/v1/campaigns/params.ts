import type { ApiRequest } from "@/lib/api/handler";
import { campaignIdSchema } from "@/lib/campaigns/campaign-schema";
import { AppError } from "@/lib/errors";

/** The {id} of a campaign route; an id no campaign can have is simply not found. */
export function campaignIdParam(request: ApiRequest): string {
  const parsed = campaignIdSchema.safeParse(request.params.id);
  if (!parsed.success) throw new AppError("NOT_FOUND", "No such campaign");

  return parsed.data;
}
