"use client";

import { useState } from "react";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";

/** Values separated by commas, spaces or new lines (pasted lists keep working). */
export const splitValues = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * A list typed as text. The text stays as typed while editing; the form gets the list of values.
 */
export function ListInput({
  value,
  onChange,
  multiline = false,
  ...props
}: Omit<React.ComponentProps<"input">, "value" | "onChange"> & {
  value: string[] | undefined;
  onChange: (values: string[]) => void;
  multiline?: boolean;
}) {
  const [text, setText] = useState(() => (value ?? []).join(multiline ? "\n" : ", "));
  const [last, setLast] = useState(value);
  // A list replaced from outside (a saved segment loaded, a CSV uploaded) shows its new values.
  if (value !== last) {
    setLast(value);
    if ((value ?? []).join() !== splitValues(text).join())
      setText((value ?? []).join(multiline ? "\n" : ", "));
  }
  const change = (next: string) => {
    setText(next);
    const values = splitValues(next);
    setLast(values);
    onChange(values);
  };

  return multiline ? (
    <Textarea
      {...(props as React.ComponentProps<"textarea">)}
      value={text}
      rows={3}
      className="font-mono text-xs"
      spellCheck={false}
      onChange={(e) => change(e.target.value)}
    />
  ) : (
    <Input
      {...props}
      value={text}
      spellCheck={false}
      autoComplete="off"
      onChange={(e) => change(e.target.value)}
    />
  );
}
