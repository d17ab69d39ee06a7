"use client";

import { Copy, Undo2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { describeRate, describeWhen } from "@/components/campaigns/schedule/schedule-value";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { duplicateCampaignAction, unscheduleCampaignAction } from "../actions";

/** Why the campaign is read-only, its schedule, and what can still be done with it. */
export function StatusBanner(props: {
  id: string;
  status: string;
  scheduledAt: string | null;
  localTime: boolean;
  ratePerMinute: number | null;
  audienceCount: number | null;
  canSend: boolean;
  canWrite: boolean;
  /** The saved audience, in words. */
  children?: React.ReactNode;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const scheduled = {
    at: props.localTime && props.scheduledAt ? props.scheduledAt.slice(0, 19) : props.scheduledAt,
    localTime: props.localTime,
    ratePerMinute: props.ratePerMinute,
  };
  const schedule = `${describeWhen(scheduled)}, ${describeRate(scheduled)}`;

  return (
    <Alert variant="info" className="mb-6" role="status">
      <AlertTitle>This campaign is {props.status}: it can no longer be edited.</AlertTitle>
      <AlertDescription className="flex flex-col gap-3">
        <p>
          {props.status === "scheduled" ? `Scheduled: ${schedule}. ` : null}
          Audience when saved:{" "}
          {props.audienceCount === null
            ? "not counted"
            : `${props.audienceCount.toLocaleString("en-US")} devices`}
          .
        </p>
        {props.children}
        <div className="flex flex-wrap gap-2">
          {props.status === "scheduled" && props.canSend ? (
            <Button
              size="sm"
              variant="outline"
              disabled={pending}
              onClick={() =>
                start(async () => {
                  const result = await unscheduleCampaignAction({ id: props.id });
                  if (!result.ok) return void toast.error(result.error);
                  toast.success("Back to draft");
                  router.refresh();
                })
              }
            >
              <Undo2 aria-hidden /> Unschedule (back to draft)
            </Button>
          ) : null}
          {props.canWrite ? (
            <Button
              size="sm"
              variant="outline"
              disabled={pending}
              onClick={() =>
                start(async () => {
                  const result = await duplicateCampaignAction({ id: props.id });
                  if (!result.ok) return void toast.error(result.error);
                  router.push(`/campaigns/${result.data.id}`);
                })
              }
            >
              <Copy aria-hidden /> Duplicate as a new draft
            </Button>
          ) : null}
        </div>
      </AlertDescription>
    </Alert>
  );
}
