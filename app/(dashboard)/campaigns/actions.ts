"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/auth/action";
import { countAudience } from "@/lib/campaigns/audience";
import {
  audienceCountSchema,
  campaignRefSchema,
  createCampaignSchema,
  scheduleCampaignSchema,
  updateCampaignSchema,
} from "@/lib/campaigns/campaign-schema";
import {
  createCampaign,
  deleteCampaign,
  duplicateCampaign,
  updateCampaign,
} from "@/lib/campaigns/campaigns";
import { scheduleCampaign, unscheduleCampaign } from "@/lib/campaigns/schedule";
import { findSegments, saveSegment, saveSegmentSchema } from "@/lib/campaigns/segments";
import { campaignTestSchema, sendCampaignTest } from "@/lib/campaigns/send-campaign-test";
import {
  addTestDevice,
  addTestDeviceSchema,
  removeTestDevice,
  removeTestDeviceSchema,
  type TestDeviceDto,
} from "@/lib/campaigns/test-devices";
import { saveTemplate, saveTemplateSchema } from "@/lib/campaigns/templates";
import { bundleIdSchema } from "@/lib/validations/device";
import { z } from "zod";

// The composer's server actions: each through authedAction (marketing and admin; support gets
// FORBIDDEN), each calling the lib/campaigns function that checks, writes and audits.
const WRITE = { permission: "campaigns.write" } as const;
const SEND = { permission: "campaigns.send" } as const;

const changed = (id?: string) => {
  revalidatePath("/campaigns");
  if (id) revalidatePath(`/campaigns/${id}`);
};

/** The first autosave of a new composer creates the draft. */
export const createCampaignAction = authedAction(
  WRITE,
  createCampaignSchema,
  async ({ actor, input }) => {
    // No revalidatePath in the autosave actions (nor the template's): it would re-render the open
    // composer from the server mid-typing; the list and campaign pages render per request anyway.
    const campaign = await createCampaign(actor, input);

    return {
      id: campaign.id,
      updatedAt: campaign.updatedAt.toISOString(),
      audienceCount: campaign.audienceCount,
    };
  },
);

/** Autosave of a draft: what changed, replaced whole (message, audience). */
export const updateCampaignAction = authedAction(
  WRITE,
  updateCampaignSchema,
  async ({ actor, input }) => {
    const campaign = await updateCampaign(actor, input);

    return {
      id: campaign.id,
      updatedAt: campaign.updatedAt.toISOString(),
      audienceCount: campaign.audienceCount,
    };
  },
);

/** A copy of any campaign as a new draft. */
export const duplicateCampaignAction = authedAction(
  WRITE,
  campaignRefSchema,
  async ({ actor, input }) => {
    const copy = await duplicateCampaign(actor, input);
    changed();

    return { id: copy.id };
  },
);

/** Deletes a draft (other statuses are refused by the status machine). */
export const deleteCampaignAction = authedAction(
  WRITE,
  campaignRefSchema,
  async ({ actor, input }) => {
    await deleteCampaign(actor, input);
    changed();

    return { id: input.id };
  },
);

/** Live count of the audience being built (debounced by the composer). */
export const countAudienceAction = authedAction(
  WRITE,
  audienceCountSchema,
  async ({ actor, input }) =>
    countAudience(actor, {
      app: input.app,
      environment: input.environment ?? "production",
      audience: input.audience,
    }),
);

/** Schedules a draft: now, at a time, or at a local time per device, with a throttle. */
export const scheduleCampaignAction = authedAction(
  SEND,
  scheduleCampaignSchema,
  async ({ actor, input }) => {
    const campaign = await scheduleCampaign(actor, input);
    changed(campaign.id);

    return { id: campaign.id, status: campaign.status };
  },
);

/** Back to an editable draft before it starts. */
export const unscheduleCampaignAction = authedAction(
  SEND,
  campaignRefSchema,
  async ({ actor, input }) => {
    const campaign = await unscheduleCampaign(actor, input);
    changed(campaign.id);

    return { id: campaign.id, status: campaign.status };
  },
);

/** Saves the audience being built under a name, for this app (same name: replaced). */
export const saveSegmentAction = authedAction(
  WRITE,
  saveSegmentSchema,
  async ({ actor, input }) => {
    const segment = await saveSegment(actor, input);

    return { id: segment.id, name: segment.name };
  },
);

/** The app's saved segments, for "Load a saved segment". */
export const findSegmentsAction = authedAction(
  WRITE,
  z.strictObject({ app: bundleIdSchema }),
  async ({ actor, input }) =>
    (await findSegments(actor, input)).map((s) => ({
      id: s.id,
      name: s.name,
      audience: s.audience,
    })),
);

/** Saves the composer's message as a named template. */
export const saveTemplateAction = authedAction(
  WRITE,
  saveTemplateSchema,
  async ({ actor, input }) => {
    const template = await saveTemplate(actor, input);

    return { id: template.id, name: template.name };
  },
);

const testDevice = (d: TestDeviceDto) => ({ ...d, addedAt: d.addedAt.toISOString() });

/** Adds a device of the registry (by token or id) to the caller's own test devices. */
export const addTestDeviceAction = authedAction(
  WRITE,
  addTestDeviceSchema,
  async ({ actor, input }) => testDevice(await addTestDevice(actor, input)),
);

/** Removes one of the caller's test devices (the device itself stays in the registry). */
export const removeTestDeviceAction = authedAction(
  WRITE,
  removeTestDeviceSchema,
  async ({ actor, input }) => removeTestDevice(actor, input),
);

/** Sends the composer's current message to the caller's test devices; APNs' answer for each. */
export const sendCampaignTestAction = authedAction(
  WRITE,
  campaignTestSchema,
  async ({ actor, input }) => sendCampaignTest(actor, input),
);
