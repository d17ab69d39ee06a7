"use client";

import { Controller, useFormContext, useWatch } from "react-hook-form";
import { Select } from "@/components/ui/select";
import { CAMPAIGN_PUSH_TYPES, type CampaignMessage } from "@/lib/campaigns/message";
import { retypeMessage, usesField } from "@/lib/campaigns/message-fields";
import type { ComposerValues } from "./composer-values";
import { Field } from "./field";
import { JsonEditor } from "./json-editor";
import { LiveActivityFields } from "./live-activity-fields";
import { LocaleTabs } from "./locale-tabs";
import { MessageOptions } from "./message-options";
import { PUSH_TYPE_LABELS } from "./push-type-fields";
import { Section } from "./section";

/** Push type, then only the fields that type carries: text per locale, options, custom data. */
export function MessageSection({
  onJsonValidity,
}: {
  onJsonValidity: (field: string, error: string | null) => void;
}) {
  const { control, getValues, setValue } = useFormContext<ComposerValues>();
  const pushType = useWatch({ control, name: "message.pushType" });

  return (
    <Section
      id="message"
      title="Message"
      description="The form shows only what this push type can carry."
    >
      <Field name="message.pushType" label="Push type">
        {(a11y) => (
          <Select
            {...a11y}
            value={pushType}
            onChange={(e) =>
              setValue(
                "message",
                retypeMessage(
                  getValues("message") as CampaignMessage,
                  e.target.value as typeof pushType,
                ),
                { shouldDirty: true },
              )
            }
          >
            {CAMPAIGN_PUSH_TYPES.map((type) => (
              <option key={type} value={type}>
                {PUSH_TYPE_LABELS[type]} ({type})
              </option>
            ))}
          </Select>
        )}
      </Field>
      {pushType === "liveactivity" ? <LiveActivityFields onJsonValidity={onJsonValidity} /> : null}
      {usesField(pushType, "title") || usesField(pushType, "body") ? <LocaleTabs /> : null}
      <MessageOptions pushType={pushType} />
      {usesField(pushType, "data") ? (
        <Field
          name="message.data"
          label="Custom data (JSON)"
          hint="Keys sent beside aps, e.g. a deep link for the app to open."
        >
          {(a11y) => (
            <Controller
              control={control}
              name="message.data"
              render={({ field }) => (
                <JsonEditor
                  key={pushType}
                  {...a11y}
                  value={field.value}
                  onChange={field.onChange}
                  onValidityChange={(error) => onJsonValidity("data", error)}
                  placeholder='{ "deeplink": "myapp://offers/spring" }'
                />
              )}
            />
          )}
        </Field>
      ) : null}
    </Section>
  );
}
