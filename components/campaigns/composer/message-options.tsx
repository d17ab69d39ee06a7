"use client";

import { Controller, useFormContext } from "react-hook-form";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { usesField, type MessageField } from "@/lib/campaigns/message-fields";
import type { CampaignPushType } from "@/lib/campaigns/message";
import type { ComposerValues } from "./composer-values";
import { Field, fieldId } from "./field";
import { NullableNumberInput } from "./number-input";
import { SoundField } from "./sound-field";
import { useFieldIssues } from "./issues-context";
import { IssueList } from "../issue-list";

function Checkbox({
  name,
  label,
  hint,
}: {
  name: `message.${MessageField}`;
  label: string;
  hint: string;
}) {
  const { register } = useFormContext<ComposerValues>();
  const issues = useFieldIssues(name);
  const id = fieldId(name);

  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="flex items-start gap-2 text-sm">
        <input
          id={id}
          type="checkbox"
          {...register(name)}
          aria-describedby={`${id}-hint`}
          className="accent-primary mt-0.5 size-4"
        />
        <span>
          <span className="font-medium">{label}</span>
          <span id={`${id}-hint`} className="text-muted-foreground block text-xs">
            {hint}
          </span>
        </span>
      </label>
      <IssueList issues={issues} compact />
    </div>
  );
}

/** Badge, sound, grouping, interruption level and flags: each only when the push type uses it. */
export function MessageOptions({ pushType }: { pushType: CampaignPushType }) {
  const { control, register } = useFormContext<ComposerValues>();
  const uses = (field: MessageField) => usesField(pushType, field);

  return (
    <div className="flex flex-col gap-4">
      {uses("sound") ? <SoundField /> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        {uses("badge") ? (
          <Field name="message.badge" label="Badge" hint="Empty leaves it as it is; 0 clears it.">
            {(a11y) => (
              <Controller
                control={control}
                name="message.badge"
                render={({ field }) => (
                  <NullableNumberInput
                    {...a11y}
                    min={0}
                    step={1}
                    value={field.value}
                    onChange={field.onChange}
                  />
                )}
              />
            )}
          </Field>
        ) : null}
        {uses("threadId") ? (
          <Field
            name="message.threadId"
            label="Thread id"
            hint="Groups notifications on the lock screen."
          >
            {(a11y) => <Input {...a11y} {...register("message.threadId")} />}
          </Field>
        ) : null}
        {uses("category") ? (
          <Field
            name="message.category"
            label="Category"
            hint="The app's actionable notification type."
          >
            {(a11y) => <Input {...a11y} {...register("message.category")} />}
          </Field>
        ) : null}
        {uses("interruptionLevel") ? (
          <Field name="message.interruptionLevel" label="Interruption level">
            {(a11y) => (
              <Controller
                control={control}
                name="message.interruptionLevel"
                render={({ field }) => (
                  <Select
                    {...a11y}
                    value={field.value ?? ""}
                    onChange={(e) => field.onChange(e.target.value || null)}
                  >
                    <option value="">Not set (active)</option>
                    <option value="passive">Passive</option>
                    <option value="active">Active</option>
                    <option value="time-sensitive">Time sensitive</option>
                    <option value="critical">Critical</option>
                  </Select>
                )}
              />
            )}
          </Field>
        ) : null}
        {uses("relevanceScore") ? (
          <Field
            name="message.relevanceScore"
            label="Relevance score"
            hint="0 to 1, for the summary's order."
          >
            {(a11y) => (
              <Controller
                control={control}
                name="message.relevanceScore"
                render={({ field }) => (
                  <NullableNumberInput
                    {...a11y}
                    step={0.1}
                    value={field.value}
                    onChange={field.onChange}
                  />
                )}
              />
            )}
          </Field>
        ) : null}
        {uses("targetContentId") ? (
          <Field
            name="message.targetContentId"
            label="Target content id"
            hint="The window or scene to bring forward."
          >
            {(a11y) => <Input {...a11y} {...register("message.targetContentId")} />}
          </Field>
        ) : null}
      </div>
      {uses("mutableContent") || uses("contentAvailable") ? (
        <div className="grid gap-3 sm:grid-cols-2">
          {uses("mutableContent") ? (
            <Checkbox
              name="message.mutableContent"
              label="Mutable content"
              hint="The app's service extension may change it before it shows."
            />
          ) : null}
          {uses("contentAvailable") ? (
            <Checkbox
              name="message.contentAvailable"
              label="Content available"
              hint="Wakes the app in the background to fetch new content."
            />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
