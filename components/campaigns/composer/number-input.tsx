"use client";

import { Input } from "@/components/ui/input";

/** A number field whose empty text means null ("not set"), for nullable numbers in the form. */
export function NullableNumberInput({
  value,
  onChange,
  ...props
}: Omit<React.ComponentProps<typeof Input>, "value" | "onChange" | "type"> & {
  value: number | null | undefined;
  onChange: (value: number | null) => void;
}) {
  return (
    <Input
      type="number"
      inputMode="decimal"
      value={value ?? ""}
      onChange={(event) => {
        const text = event.target.value;
        onChange(text === "" ? null : Number(text));
      }}
      {...props}
    />
  );
}
