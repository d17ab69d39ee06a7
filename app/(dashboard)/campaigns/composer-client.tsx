"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { AudienceBuilder } from "@/components/campaigns/audience/audience-builder";
import {
  CampaignComposer,
  type ComposerApp,
  type ComposerContext,
} from "@/components/campaigns/composer/composer";
import type { ComposerActions } from "@/components/campaigns/composer/composer-actions";
import type { ComposerValues } from "@/components/campaigns/composer/composer-values";
import { Section } from "@/components/campaigns/composer/section";
import { ConfirmScheduleDialog } from "@/components/campaigns/schedule/confirm-schedule-dialog";
import { ScheduleStep } from "@/components/campaigns/schedule/schedule-step";
import { TestDevicesPanel } from "@/components/campaigns/test-devices/test-devices-panel";
import type { TestDeviceActions, TestDeviceRow } from "@/components/campaigns/test-devices/types";
import {
  describeSchedule,
  toScheduleInput,
  type ScheduleDraft,
} from "@/components/campaigns/schedule/schedule-value";
import {
  addTestDeviceAction,
  countAudienceAction,
  removeTestDeviceAction,
  sendCampaignTestAction,
  createCampaignAction,
  scheduleCampaignAction,
  updateCampaignAction,
} from "./actions";
import { DraftActions } from "./draft-actions";

const actions: ComposerActions = {
  create: (values) => createCampaignAction(values as never),
  update: (values) => updateCampaignAction(values as never),
};

const testActions: TestDeviceActions = {
  add: addTestDeviceAction,
  remove: removeTestDeviceAction,
  send: (input) => sendCampaignTestAction(input as never),
};

/** The composer wired to this route's server actions (components/ import no actions). */
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
          : (ctx) => <Steps ctx={ctx} canSend={canSend} apps={apps} testDevices={testDevices} />
      }
    />
  );
}

function Steps({
  ctx,
  canSend,
  apps,
  testDevices,
}: {
  ctx: ComposerContext;
  canSend: boolean;
  apps: { id: string; bundleId: string }[];
  testDevices: TestDeviceRow[];
}) {
  const router = useRouter();
  const [review, setReview] = useState<ScheduleDraft | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = review ? toScheduleInput(review).input : null;

  async function openReview(draft: ScheduleDraft) {
    setReview(draft);
    setError(null);
    setCount(null);
    const counted = await countAudienceAction({
      app: ctx.values.app,
      environment: ctx.values.environment,
      audience: ctx.values.audience,
    });
    setCount(counted.ok ? counted.data.count : null);
  }

  async function confirm() {
    if (!input) return;
    setPending(true);
    setError(null);
    const id = await ctx.flush();
    if (!id) {
      setPending(false);

      return setError("The draft could not be saved: fix the highlighted fields first.");
    }
    const result = await scheduleCampaignAction({ id, ...input });
    setPending(false);
    if (!result.ok) return setError(result.error);
    toast.success("Campaign scheduled");
    setReview(null);
    router.push(`/campaigns/${id}`);
    router.refresh();
  }

  return (
    <>
      <Section
        id="audience"
        title="Audience"
        description="Who gets it: counted live as you build the segment."
      >
        <AudienceBuilder count={countAudienceAction} />
      </Section>
      <Section
        id="test"
        title="Test before sending"
        description="Your own devices get the current message now; no campaign is sent."
      >
        <TestDevicesPanel
          initial={testDevices}
          appId={apps.find((a) => a.bundleId === ctx.values.app)?.id ?? ""}
          environment={ctx.values.environment}
          message={ctx.values.message}
          blocked={ctx.hasErrors ? "Fix the errors in the message before testing." : null}
          actions={testActions}
        />
      </Section>
      {canSend ? (
        <Section
          id="schedule"
          title="Schedule"
          description="Send now, later, or at a local time per device."
        >
          <ScheduleStep
            blocked={ctx.hasErrors ? "Fix the errors in the message before scheduling." : null}
            onReview={openReview}
          />
          <ConfirmScheduleDialog
            open={review !== null}
            onOpenChange={(open) => (open ? null : setReview(null))}
            audienceCount={count}
            schedule={input ? describeSchedule(input).split(",")[0] : ""}
            throttle={
              input?.ratePerMinute
                ? `${input.ratePerMinute.toLocaleString("en-US")} messages a minute`
                : "None: as fast as APNs allows"
            }
            notification={ctx.preview.notification}
            emptyText={ctx.preview.emptyText}
            bytes={`${ctx.preview.request.size.toLocaleString("en-US")} of ${ctx.preview.request.limit.toLocaleString("en-US")} bytes`}
            pending={pending}
            error={error}
            onConfirm={confirm}
          />
        </Section>
      ) : null}
    </>
  );
}
