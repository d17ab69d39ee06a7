import { cn } from "@/lib/utils";

type ProgressProps = React.ComponentProps<"div"> & { value: number; max?: number; label?: string };

/** A determinate progress bar exposed as role="progressbar" (no Radix package needed). */
export function Progress({ value, max = 100, label, className, ...props }: ProgressProps) {
  const clamped = Math.min(Math.max(value, 0), max);
  const percent = max > 0 ? (clamped / max) * 100 : 0;

  return (
    <div
      data-slot="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={clamped}
      className={cn("bg-muted relative h-2 w-full overflow-hidden rounded-full", className)}
      {...props}
    >
      <div className="bg-primary h-full transition-[width]" style={{ width: `${percent}%` }} />
    </div>
  );
}
