"use client";

import { Controller, useFormContext } from "react-hook-form";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { PUSH_TYPE_RULES } from "@/lib/apns/browser";
import { usesField } from "@/lib/campaigns/message-fields";
import type { CampaignPushType } from "@/lib/campaigns/message";
import type { ComposerValues } from "./composer-values";
import { DateTimeInput } from "./date-time-input";
import { Field } from "./field";

const PRIORITY_WORDS = {
  10: "10 — immediately",
  5: "5 — when power allows",
  1: "1 — lowest",
} as const;

/** Environment, priority, expiration and collapse id: how APNs should deliver it. */
export function DeliveryFields({ pushType }: { pushType: CampaignPushType }) {
  const { control, register } = useFormContext<ComposerValues>();
  const rule = PUSH_TYPE_RULES[pushType];

  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <Field
        name="environment"
        label="Environment"
        hint="Which tokens: App Store/TestFlight or development builds."
      >
        {(a11y) => (
          <Select {...a11y} {...register("environment")}>
            <option value="production">Production</option>
            <option value="sandbox">Sandbox</option>
          </Select>
        )}
      </Field>
      {usesField(pushType, "priority") ? (
        <Field name="message.priority" label="Priority">
          {(a11y) => (
            <Controller
              control={control}
              name="message.priority"
              render={({ field }) => (
                <Select
                  {...a11y}
                  value={field.value ?? ""}
                  onChange={(e) => field.onChange(e.target.value ? Number(e.target.value) : null)}
                >
                  <option value="">Default ({rule.defaultPriority})</option>
                  {([10, 5, 1] as const).map((p) => (
                    <option key={p} value={p}>
                      {PRIORITY_WORDS[p]}
                    </option>
                  ))}
                </Select>
              )}
            />
          )}
        </Field>
      ) : null}
      {usesField(pushType, "expiration") ? (
        <Field
          name="message.expiration"
          label="Expires"
          hint="Empty: Apple keeps it for a while if the device is off."
        >
          {(a11y) => (
            <Controller
              control={control}
              name="message.expiration"
              render={({ field }) => (
                <DateTimeInput {...a11y} value={field.value} onChange={field.onChange} />
              )}
            />
          )}
        </Field>
      ) : null}
      {usesField(pushType, "collapseId") ? (
        <Field
          name="message.collapseId"
          label="Collapse id"
          hint="A newer push with the same id replaces this one."
        >
          {(a11y) => <Input {...a11y} {...register("message.collapseId")} />}
        </Field>
      ) : null}
    </div>
  );
}
