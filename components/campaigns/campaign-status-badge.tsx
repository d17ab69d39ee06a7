import { Badge, type BadgeProps } from "@/components/ui/badge";

export const CAMPAIGN_STATUSES = [
  "draft",
  "scheduled",
  "sending",
  "paused",
  "completed",
  "cancelled",
  "failed",
] as const;
export type CampaignStatusName = (typeof CAMPAIGN_STATUSES)[number];

const VARIANT: Record<CampaignStatusName, BadgeProps["variant"]> = {
  draft: "outline",
  scheduled: "accent",
  sending: "default",
  paused: "warning",
  completed: "success",
  cancelled: "secondary",
  failed: "destructive",
};

/** A campaign's status in the same colours on the list and the composer. */
export function CampaignStatusBadge({ status }: { status: string }) {
  const key = status.toLowerCase() as CampaignStatusName;
  const label = key.charAt(0).toUpperCase() + key.slice(1);

  return <Badge variant={VARIANT[key] ?? "outline"}>{label}</Badge>;
}
