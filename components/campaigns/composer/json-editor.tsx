"use client";

import { useState } from "react";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/lib/utils";

type JsonEditorProps = {
  id: string;
  value: unknown;
  /** Called with the parsed object whenever the text is a valid JSON object. */
  onChange: (value: Record<string, unknown>) => void;
  /** Tells the form whether the text parses, so that saving can wait for a valid object. */
  onValidityChange?: (error: string | null) => void;
  rows?: number;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
  placeholder?: string;
};

function parseObject(text: string): { value: Record<string, unknown> } | { error: string } {
  if (text.trim() === "") return { value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== "object" || Array.isArray(value))
      return { error: 'Enter a JSON object: { "key": value }' };

    return { value: value as Record<string, unknown> };
  } catch (error) {
    return { error: `Not valid JSON: ${(error as Error).message}` };
  }
}

/**
 * A JSON object typed as text. The text is the source of truth while it is being edited; the form
 * gets the object each time the text parses, and the parse error is shown in words otherwise.
 */
export function JsonEditor({
  id,
  value,
  onChange,
  onValidityChange,
  rows = 5,
  placeholder,
  ...aria
}: JsonEditorProps) {
  const [text, setText] = useState(() =>
    value && Object.keys(value as object).length ? JSON.stringify(value, null, 2) : "",
  );
  const [error, setError] = useState<string | null>(null);
  const describedBy = [aria["aria-describedby"], error ? `${id}-json-error` : null]
    .filter(Boolean)
    .join(" ");

  return (
    <>
      <Textarea
        id={id}
        value={text}
        rows={rows}
        spellCheck={false}
        placeholder={placeholder}
        className={cn("font-mono text-xs")}
        aria-invalid={error || aria["aria-invalid"] ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={(event) => {
          const next = event.target.value;
          setText(next);
          const parsed = parseObject(next);
          const message = "error" in parsed ? parsed.error : null;
          setError(message);
          onValidityChange?.(message);
          if ("value" in parsed) onChange(parsed.value);
        }}
      />
      {error ? (
        <p id={`${id}-json-error`} className="text-destructive text-xs" role="status">
          {error}
        </p>
      ) : null}
    </>
  );
}
