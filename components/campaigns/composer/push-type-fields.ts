import type { CampaignPushType } from "@/lib/campaigns/message";

/** The push types in the words of the composer's picker. */
export const PUSH_TYPE_LABELS: Record<CampaignPushType, string> = {
  alert: "Alert",
  background: "Background update",
  voip: "VoIP call",
  liveactivity: "Live Activity",
  location: "Location query",
  pushtotalk: "Push to Talk",
  widgets: "Widget reload",
  complication: "Watch complication",
  fileprovider: "File Provider",
};
