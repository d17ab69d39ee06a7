import { scheduleSchema, type ScheduleInput } from "@/lib/campaigns/campaign-schema";

export type ScheduleMode = "now" | "at" | "local";
export type ScheduleDraft = { mode: ScheduleMode; when: string; rate: string };

/**
 * The schedule step's fields → the server's schedule input, checked with the server's schema.
 * `when` is the datetime-local text: an instant in the viewer's zone for "at", a wall-clock time
 * read in each device's own zone for "local".
 */
export function toScheduleInput(draft: ScheduleDraft): {
  input: ScheduleInput;
  error: string | null;
} {
  const ratePerMinute = draft.rate.trim() === "" ? null : Number(draft.rate);
  let at: string | null = null;
  if (draft.mode === "at" && draft.when) {
    const date = new Date(draft.when);
    at = Number.isNaN(date.getTime()) ? draft.when : date.toISOString();
  }
  if (draft.mode === "local" && draft.when)
    at = draft.when.length === 16 ? `${draft.when}:00` : draft.when;
  const input: ScheduleInput = { at, localTime: draft.mode === "local", ratePerMinute };
  if (draft.mode !== "now" && !draft.when) return { input, error: "Choose a date and time" };
  const parsed = scheduleSchema.safeParse(input);

  return {
    input,
    error: parsed.success ? null : (parsed.error.issues[0]?.message ?? "Check the schedule"),
  };
}

/** When, in words, for the confirmation and the read-only view. */
export function describeWhen(input: ScheduleInput): string {
  if (!input.at) return "Now";
  if (input.localTime)
    return `${input.at.slice(0, 16).replace("T", " ")} in each device's time zone`;

  return `${new Date(input.at).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" })} (your time)`;
}

/** The throttle in words. */
export function describeRate(input: ScheduleInput): string {
  return input.ratePerMinute
    ? `at most ${input.ratePerMinute.toLocaleString("en-US")} messages a minute`
    : "as fast as APNs allows";
}
