"use client";

import { useFormContext } from "react-hook-form";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { MESSAGE_LIMITS } from "@/lib/campaigns/message";
import { Field } from "./field";

/** Title, subtitle and body under `prefix` (the default text or one locale's). */
export function AlertTextFields({ prefix, locale }: { prefix: string; locale: string | null }) {
  const { register } = useFormContext();
  const where = locale ? ` (${locale})` : "";

  return (
    <>
      <Field name={`${prefix}.title`} label={`Title${where}`}>
        {(a11y) => (
          <Input {...a11y} {...register(`${prefix}.title`)} maxLength={MESSAGE_LIMITS.title} />
        )}
      </Field>
      <Field name={`${prefix}.subtitle`} label={`Subtitle${where}`}>
        {(a11y) => (
          <Input
            {...a11y}
            {...register(`${prefix}.subtitle`)}
            maxLength={MESSAGE_LIMITS.subtitle}
          />
        )}
      </Field>
      <Field name={`${prefix}.body`} label={`Body${where}`}>
        {(a11y) => <Textarea {...a11y} {...register(`${prefix}.body`)} rows={3} />}
      </Field>
    </>
  );
}
