"use client";

import { Controller, useFormContext } from "react-hook-form";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ComposerValues } from "./composer-values";
import { DateTimeInput } from "./date-time-input";
import { Field } from "./field";
import { JsonEditor } from "./json-editor";

const DATES = [
  ["timestamp", "Timestamp", "Empty: the moment it is sent."],
  ["staleDate", "Stale date", "After it the activity shows as out of date."],
  ["dismissalDate", "Dismissal date", "When an ended activity leaves the lock screen."],
] as const;

/** ActivityKit's fields: event, content state, dates and (to start one) attributes. */
export function LiveActivityFields({
  onJsonValidity,
}: {
  onJsonValidity: (field: string, error: string | null) => void;
}) {
  const { control, register } = useFormContext<ComposerValues>();

  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <Field name="message.liveActivity.event" label="Event">
        {(a11y) => (
          <Select {...a11y} {...register("message.liveActivity.event")}>
            <option value="start">Start</option>
            <option value="update">Update</option>
            <option value="end">End</option>
          </Select>
        )}
      </Field>
      <Field
        name="message.liveActivity.attributesType"
        label="Attributes type"
        hint="To start: the app's ActivityAttributes type."
      >
        {(a11y) => <Input {...a11y} {...register("message.liveActivity.attributesType")} />}
      </Field>
      {DATES.map(([key, label, hint]) => (
        <Field key={key} name={`message.liveActivity.${key}`} label={label} hint={hint}>
          {(a11y) => (
            <Controller
              control={control}
              name={`message.liveActivity.${key}`}
              render={({ field }) => (
                <DateTimeInput {...a11y} value={field.value} onChange={field.onChange} />
              )}
            />
          )}
        </Field>
      ))}
      <Field
        name="message.liveActivity.contentState"
        label="Content state (JSON)"
        className="sm:col-span-2"
      >
        {(a11y) => (
          <Controller
            control={control}
            name="message.liveActivity.contentState"
            render={({ field }) => (
              <JsonEditor
                {...a11y}
                value={field.value}
                onChange={(v) => field.onChange(v)}
                onValidityChange={(e) => onJsonValidity("contentState", e)}
                placeholder='{ "score": "2–1" }'
              />
            )}
          />
        )}
      </Field>
      <Field
        name="message.liveActivity.attributes"
        label="Attributes (JSON)"
        className="sm:col-span-2"
      >
        {(a11y) => (
          <Controller
            control={control}
            name="message.liveActivity.attributes"
            render={({ field }) => (
              <JsonEditor
                {...a11y}
                value={field.value}
                onChange={(v) => field.onChange(Object.keys(v).length ? v : null)}
                onValidityChange={(e) => onJsonValidity("attributes", e)}
                rows={3}
              />
            )}
          />
        )}
      </Field>
    </div>
  );
}
