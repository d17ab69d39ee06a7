"use client";

import { get, useFormState } from "react-hook-form";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";
import { IssueList } from "../issue-list";
import { useFieldIssues } from "./issues-context";

/** The id a form field's input carries ("message.title" → "f-message-title"). */
export const fieldId = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;

type FieldProps = {
  name: string;
  label: React.ReactNode;
  hint?: React.ReactNode;
  className?: string;
  /** Renders the control with the id and aria attributes it must carry. */
  children: (a11y: {
    id: string;
    "aria-invalid"?: true;
    "aria-describedby"?: string;
  }) => React.ReactNode;
};

/**
 * A labelled form control with its schema error (react-hook-form) and the live lint errors and
 * warnings for the same field underneath, all tied to the control by aria-describedby.
 */
export function Field({ name, label, hint, className, children }: FieldProps) {
  // Subscribed to this field's error only: a change elsewhere does not re-render it.
  const { errors } = useFormState({ name });
  const error = (get(errors, name) as { message?: string } | undefined)?.message;
  const issues = useFieldIssues(name);
  const id = fieldId(name);
  const describedBy = [
    hint ? `${id}-hint` : null,
    error ? `${id}-error` : null,
    issues.length ? `${id}-issues` : null,
  ]
    .filter(Boolean)
    .join(" ");
  const invalid = Boolean(error) || issues.some((i) => i.severity === "error");

  return (
    <div className={cn("flex flex-col gap-1.5", className)}>
      <Label htmlFor={id}>{label}</Label>
      {children({
        id,
        "aria-invalid": invalid ? true : undefined,
        "aria-describedby": describedBy || undefined,
      })}
      {hint ? (
        <p id={`${id}-hint`} className="text-muted-foreground text-xs">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="text-destructive text-xs">
          {error}
        </p>
      ) : null}
      <IssueList id={`${id}-issues`} issues={issues} compact />
    </div>
  );
}
