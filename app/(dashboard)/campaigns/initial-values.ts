import type { ComposerValues } from "@/components/campaigns/composer/composer-values";
import type { CampaignDetail } from "@/lib/campaigns/campaign-dto";
import { defaultMessage, type CampaignMessage } from "@/lib/campaigns/message";
import type { TestDeviceDto } from "@/lib/campaigns/test-devices";

/** A new campaign's form: the first app, production tokens, an alert, every device. */
export function newCampaignValues(app: string, message?: CampaignMessage): ComposerValues {
  return {
    // Left empty for the author; a draft saved without one is called UNTITLED (use-autosave.ts).
    name: "",
    app,
    environment: "production",
    message: (message ?? defaultMessage("alert")) as ComposerValues["message"],
    audience: { all: true },
  };
}

/** A saved campaign's form values. */
export function campaignValues(campaign: CampaignDetail): ComposerValues {
  return {
    name: campaign.name,
    app: campaign.app.bundleId,
    environment: campaign.environment,
    message: campaign.message as ComposerValues["message"],
    audience: campaign.audience as ComposerValues["audience"],
  };
}

/** A test device for the client (dates as ISO strings). */
export const serializeTestDevice = (d: TestDeviceDto) => ({
  ...d,
  addedAt: d.addedAt.toISOString(),
});
