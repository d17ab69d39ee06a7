"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useFormContext, useWatch } from "react-hook-form";
import { toast } from "sonner";
import { AudienceBuilder } from "@/components/campaigns/audience/audience-builder";
import { SegmentLibrary } from "@/components/campaigns/audience/segment-library";
import type { ComposerContext } from "@/components/campaigns/composer/composer";
import type { ComposerValues } from "@/components/campaigns/composer/composer-values";
import { Section } from "@/components/campaigns/composer/section";
import { computePreview, type Preview } from "@/components/campaigns/composer/use-preview";
import { ConfirmScheduleDialog } from "@/components/campaigns/schedule/confirm-schedule-dialog";
import { ScheduleStep } from "@/components/campaigns/schedule/schedule-step";
import {
  describeRate,
  describeWhen,
  toScheduleInput,
  type ScheduleDraft,
} from "@/components/campaigns/schedule/schedule-value";
import { TestDevicesPanel } from "@/components/campaigns/test-devices/test-devices-panel";
import type { TestDeviceRow } from "@/components/campaigns/test-devices/types";
import type { stepActions } from "./composer-client";

type Actions = typeof stepActions;
const number = (n: number) => n.toLocaleString("en-US");

/** Audience, test devices and schedule, under the message. */
export function ComposerSteps({
  ctx,
  canSend,
  apps,
  testDevices,
  actions,
}: {
  ctx: ComposerContext;
  canSend: boolean;
  apps: { id: string; bundleId: string; name: string }[];
  testDevices: TestDeviceRow[];
  actions: Actions;
}) {
  const { getValues } = useFormContext<ComposerValues>();
  const [app, environment] = useWatch<ComposerValues, ["app", "environment"]>({
    name: ["app", "environment"],
  });

  return (
    <>
      <Section
        id="audience"
        title="Audience"
        description="Who gets it: counted live as you build the segment."
      >
        <AudienceBuilder count={actions.count}>
          <SegmentLibrary actions={actions.segments} />
        </AudienceBuilder>
      </Section>
      <Section
        id="test"
        title="Test before sending"
        description="Your own devices get the current message now; no campaign is sent."
      >
        <TestDevicesPanel
          initial={testDevices}
          appId={apps.find((a) => a.bundleId === app)?.id ?? ""}
          environment={environment}
          message={() => getValues("message")}
          blocked={ctx.hasErrors ? "Fix the errors in the message before testing." : null}
          actions={actions.tests}
        />
      </Section>
      {canSend ? <ScheduleSection ctx={ctx} apps={apps} actions={actions} /> : null}
    </>
  );
}

function ScheduleSection({
  ctx,
  apps,
  actions,
}: {
  ctx: ComposerContext;
  apps: { bundleId: string; name: string }[];
  actions: Actions;
}) {
  const router = useRouter();
  const { getValues } = useFormContext<ComposerValues>();
  const [review, setReview] = useState<{ draft: ScheduleDraft; preview: Preview } | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = review ? toScheduleInput(review.draft).input : null;

  async function openReview(draft: ScheduleDraft) {
    const values = getValues();
    const app = apps.find((a) => a.bundleId === values.app) ?? {
      bundleId: values.app,
      name: "App",
    };
    setReview({ draft, preview: computePreview(values, app, null) });
    setError(null);
    setCount(null);
    const counted = await actions.count({
      app: values.app,
      environment: values.environment,
      audience: values.audience,
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
    const result = await actions.schedule({ id, ...input });
    setPending(false);
    if (!result.ok) return setError(result.error);
    toast.success("Campaign scheduled");
    setReview(null);
    router.push(`/campaigns/${id}`);
    router.refresh();
  }

  return (
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
        schedule={input ? describeWhen(input) : ""}
        throttle={input ? describeRate(input) : ""}
        notification={review?.preview.notification ?? null}
        emptyText={review?.preview.emptyText ?? ""}
        bytes={
          review
            ? `${number(review.preview.request.size)} of ${number(review.preview.request.limit)} bytes`
            : ""
        }
        pending={pending}
        error={error}
        onConfirm={confirm}
      />
    </Section>
  );
}
