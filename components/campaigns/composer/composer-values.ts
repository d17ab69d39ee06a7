import type { AudienceInput } from "@/lib/campaigns/audience-schema";
import type { CampaignLiveActivity, CampaignMessage } from "@/lib/campaigns/message";

// JSON values are typed loosely in the form: react-hook-form's field paths recurse into every
// property type, and the recursive JsonValue type makes that endless (TS2589).
type Json = Record<string, unknown>;
export type FormLiveActivity = Omit<CampaignLiveActivity, "contentState" | "attributes"> & {
  contentState: Json;
  attributes: Json | null;
};
export type FormMessage = Omit<CampaignMessage, "data" | "liveActivity"> & {
  data: Json;
  liveActivity: FormLiveActivity | null;
};

/** The composer form's values: the campaign as the server's schema (createCampaignSchema) takes it. */
export type ComposerValues = {
  name: string;
  app: string;
  environment: "production" | "sandbox";
  message: FormMessage;
  audience: AudienceInput;
};
