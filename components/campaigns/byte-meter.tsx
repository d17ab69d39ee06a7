import { cn } from "@/lib/utils";

const number = (n: number) => n.toLocaleString("en-US");

/**
 * The payload's size against the push type's limit (4,096 bytes, 5,120 for VoIP). Amber past 90 %,
 * red over the limit, when Apple would answer 413 PayloadTooLarge.
 */
export function ByteMeter({ size, limit }: { size: number; limit: number }) {
  const ratio = limit > 0 ? size / limit : 0;
  const tone = ratio > 1 ? "over" : ratio > 0.9 ? "near" : "ok";
  const text = `${number(size)} of ${number(limit)} bytes`;

  return (
    <div className="flex flex-col gap-1.5" data-testid="byte-meter" data-bytes={size}>
      <div className="flex items-baseline justify-between gap-2 text-xs">
        <span id="byte-meter-label" className="font-medium">
          Payload size
        </span>
        <span
          className={cn(
            "tabular-nums",
            tone === "over" ? "text-destructive font-semibold" : "text-muted-foreground",
          )}
        >
          {text}
          {tone === "over" ? ` — ${number(size - limit)} over` : ""}
        </span>
      </div>
      <div
        role="meter"
        aria-labelledby="byte-meter-label"
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={Math.min(size, limit)}
        aria-valuetext={text}
        className="bg-muted h-2 overflow-hidden rounded-full"
      >
        <div
          className={cn(
            "h-full rounded-full transition-[width] duration-75",
            tone === "over" ? "bg-destructive" : tone === "near" ? "bg-warning" : "bg-primary",
          )}
          style={{ width: `${Math.min(ratio, 1) * 100}%` }}
        />
      </div>
    </div>
  );
}
