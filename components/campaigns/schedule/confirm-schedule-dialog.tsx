"use client";

import { Loader2, Send } from "lucide-react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { NotificationCard, type NotificationContent } from "../notification-card";

/** The last look before scheduling: audience size, schedule, throttle and the final notification. */
export function ConfirmScheduleDialog({
  open,
  onOpenChange,
  audienceCount,
  schedule,
  throttle,
  notification,
  emptyText,
  bytes,
  pending,
  error,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  audienceCount: number | null;
  schedule: string;
  throttle: string;
  notification: NotificationContent | null;
  emptyText: string;
  bytes: string;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Schedule this campaign?</DialogTitle>
          <DialogDescription>Check who gets it, when, and what they will see.</DialogDescription>
        </DialogHeader>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-muted-foreground">Audience</dt>
          <dd data-testid="confirm-audience">
            {audienceCount === null
              ? "Counting…"
              : `${audienceCount.toLocaleString("en-US")} active devices`}
          </dd>
          <dt className="text-muted-foreground">Schedule</dt>
          <dd data-testid="confirm-schedule">{schedule}</dd>
          <dt className="text-muted-foreground">Throttle</dt>
          <dd>{throttle}</dd>
          <dt className="text-muted-foreground">Payload</dt>
          <dd>{bytes}</dd>
        </dl>
        <div className="rounded-xl bg-gradient-to-b from-indigo-200 to-fuchsia-200 p-3 dark:from-indigo-950 dark:to-purple-900">
          {notification ? (
            <NotificationCard content={notification} appearance="light" className="dark:hidden" />
          ) : null}
          {notification ? (
            <NotificationCard
              content={notification}
              appearance="dark"
              className="hidden dark:flex"
            />
          ) : (
            <p className="text-center text-xs">{emptyText}</p>
          )}
        </div>
        {error ? (
          <p role="alert" className="text-destructive text-sm">
            {error}
          </p>
        ) : null}
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button onClick={onConfirm} disabled={pending}>
            {pending ? <Loader2 className="animate-spin" aria-hidden /> : <Send aria-hidden />}{" "}
            Schedule
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
