"use client";

import type { SegmentActions } from "@/components/campaigns/audience/segment-library";
import { CampaignComposer, type ComposerApp } from "@/components/campaigns/composer/composer";
import type { ComposerActions } from "@/components/campaigns/composer/composer-actions";
import type { ComposerValues } from "@/components/campaigns/composer/composer-values";
import type { TestDeviceActions, TestDeviceRow } from "@/components/campaigns/test-devices/types";
import {
  addTestDeviceAction,
  countAudienceAction,
  createCampaignAction,
  findSegmentsAction,
  removeTestDeviceAction,
  saveSegmentAction,
  scheduleCampaignAction,
  sendCampaignTestAction,
  updateCampaignAction,
} from "./actions";
import { ComposerSteps } from "./composer-steps";
import { DraftActions } from "./draft-actions";

const actions: ComposerActions = {
  create: (values) => createCampaignAction(values as never),
  update: (values) => updateCampaignAction(values as never),
};

/** The server actions the steps call (components/ import no actions: they are handed in). */
export const stepActions = {
  count: countAudienceAction,
  schedule: scheduleCampaignAction,
  segments: {
    find: (input) => findSegmentsAction(input) as ReturnType<SegmentActions["find"]>,
    save: (input) => saveSegmentAction(input as never),
  } satisfies SegmentActions,
  tests: {
    add: addTestDeviceAction,
    remove: removeTestDeviceAction,
    send: (input) => sendCampaignTestAction(input as never),
  } satisfies TestDeviceActions,
};

/** The composer wired to this route's server actions. */
export function ComposerClient({
  campaignId,
  initial,
  apps,
  canSend,
  testDevices,
  readOnly = false,
}: {
  campaignId: string | null;
  initial: ComposerValues;
  apps: (ComposerApp & { id: string })[];
  canSend: boolean;
  testDevices: TestDeviceRow[];
  readOnly?: boolean;
}) {
  return (
    <CampaignComposer
      campaignId={campaignId}
      initial={initial}
      apps={apps}
      actions={actions}
      readOnly={readOnly}
      headerActions={readOnly ? undefined : (ctx) => <DraftActions ctx={ctx} />}
      renderSteps={
        readOnly
          ? undefined
          : (ctx) => (
              <ComposerSteps
                ctx={ctx}
                canSend={canSend}
                apps={apps}
                testDevices={testDevices}
                actions={stepActions}
              />
            )
      }
    />
  );
}
