"use client";

import { Input } from "@/components/ui/input";

const pad = (n: number) => String(n).padStart(2, "0");

/** ISO instant → the browser's local "YYYY-MM-DDTHH:mm" that <input type="datetime-local"> shows. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";

  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A date and time in the viewer's time zone; the form holds it as an ISO instant (or null). */
export function DateTimeInput({
  value,
  onChange,
  ...props
}: Omit<React.ComponentProps<typeof Input>, "value" | "onChange" | "type"> & {
  value: string | null | undefined;
  onChange: (iso: string | null) => void;
}) {
  return (
    <Input
      type="datetime-local"
      value={toLocalInput(value)}
      onChange={(e) => {
        const text = e.target.value;
        const date = text ? new Date(text) : null;
        onChange(date && !Number.isNaN(date.getTime()) ? date.toISOString() : null);
      }}
      {...props}
    />
  );
}
