"use client";

import { CalendarClock } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Segmented } from "../segmented";
import { toScheduleInput, type ScheduleDraft, type ScheduleMode } from "./schedule-value";

const MODES = [
  { value: "now", label: "Send now" },
  { value: "at", label: "At a date and time" },
  { value: "local", label: "Local time per device" },
] as const;

/**
 * When and how fast. "Review and schedule" is off while the message has errors: a campaign with
 * errors cannot be scheduled (the server refuses it too).
 */
export function ScheduleStep({
  blocked,
  onReview,
}: {
  /** Why it cannot be scheduled yet, or null. */
  blocked: string | null;
  onReview: (draft: ScheduleDraft) => void;
}) {
  const [draft, setDraft] = useState<ScheduleDraft>({ mode: "now", when: "", rate: "" });
  const [touched, setTouched] = useState(false);
  const { error } = toScheduleInput(draft);
  const set = (patch: Partial<ScheduleDraft>) => setDraft((d) => ({ ...d, ...patch }));

  return (
    <div className="flex flex-col gap-4">
      <Segmented
        label="When"
        value={draft.mode}
        options={MODES}
        onChange={(mode: ScheduleMode) => set({ mode })}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        {draft.mode !== "now" ? (
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="schedule-when">
              {draft.mode === "local" ? "Local date and time" : "Date and time (your time zone)"}
            </Label>
            <Input
              id="schedule-when"
              type="datetime-local"
              value={draft.when}
              onChange={(e) => set({ when: e.target.value })}
              aria-invalid={touched && error ? true : undefined}
              aria-describedby="schedule-when-hint"
            />
            <p id="schedule-when-hint" className="text-muted-foreground text-xs">
              {draft.mode === "local"
                ? "Each device gets it at this time in its own time zone."
                : "One moment for every device."}
            </p>
          </div>
        ) : null}
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="schedule-rate">Throttle (messages a minute)</Label>
          <Input
            id="schedule-rate"
            type="number"
            min={1}
            placeholder="No limit"
            value={draft.rate}
            onChange={(e) => set({ rate: e.target.value })}
          />
        </div>
      </div>
      {touched && error ? <p className="text-destructive text-xs">{error}</p> : null}
      {blocked ? (
        <p className="text-destructive text-xs" id="schedule-blocked">
          {blocked}
        </p>
      ) : null}
      <Button
        type="button"
        className="w-fit"
        disabled={Boolean(blocked)}
        aria-describedby={blocked ? "schedule-blocked" : undefined}
        onClick={() => {
          setTouched(true);
          if (!error) onReview(draft);
        }}
      >
        <CalendarClock aria-hidden /> Review and schedule
      </Button>
    </div>
  );
}
