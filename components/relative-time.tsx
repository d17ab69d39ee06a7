"use client";

import { useSyncExternalStore } from "react";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { formatDateTime } from "@/lib/utils";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

export function relativeTime(date: Date, now: Date): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 10) return "just now";
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }

  return "just now";
}

const CLOCK_STEP_MS = 30_000;

function subscribeToClock(onChange: () => void) {
  const timer = setInterval(onChange, CLOCK_STEP_MS);

  return () => clearInterval(timer);
}

function clockSnapshot(): number {
  return Math.floor(Date.now() / CLOCK_STEP_MS);
}

/**
 * "3 minutes ago", with the absolute UTC time on hover and in <time datetime>. The server render
 * shows the absolute time; the relative text appears after hydration, so clocks never disagree.
 */
export function RelativeTime({ value, className }: { value: string | null; className?: string }) {
  // null while rendering on the server and hydrating (getServerSnapshot), then the client's clock.
  const minuteTick = useSyncExternalStore(subscribeToClock, clockSnapshot, () => null);
  const now = minuteTick === null ? null : new Date(minuteTick * CLOCK_STEP_MS);
  if (!value) return <span className="text-muted-foreground">—</span>;
  const absolute = formatDateTime(value);

  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <time
          dateTime={value}
          className={className ?? "whitespace-nowrap tabular-nums"}
          tabIndex={0}
        >
          {now ? relativeTime(new Date(value), now) : absolute}
        </time>
      </TooltipTrigger>
      <TooltipContent>{absolute}</TooltipContent>
    </Tooltip>
  );
}
