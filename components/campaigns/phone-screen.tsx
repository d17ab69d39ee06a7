import { cn } from "@/lib/utils";
import type { Appearance } from "./notification-card";

/**
 * The phone of the previews: the wallpaper and frame from public/preview for the chosen appearance,
 * with `children` laid on the screen. 280 px wide, the frame's 420 × 864 drawing scaled by 2/3
 * (its screen starts 14 units in, with a corner radius of 52).
 */
export function PhoneScreen({
  appearance,
  children,
  className,
  label,
}: {
  appearance: Appearance;
  children: React.ReactNode;
  className?: string;
  /** The accessible name of the figure ("Lock screen, dark"). */
  label: string;
}) {
  return (
    <figure
      aria-label={label}
      className={cn("relative mx-auto h-[576px] w-[280px] shrink-0 select-none", className)}
    >
      <div className="absolute inset-[9.33px] overflow-hidden rounded-[35px]">
        {/* eslint-disable-next-line @next/next/no-img-element -- static SVG from public/ */}
        <img
          src={`/preview/wallpaper-${appearance}.svg`}
          alt=""
          className="absolute inset-0 size-full object-cover"
        />
        <div className="relative flex h-full flex-col">{children}</div>
      </div>
      {/* eslint-disable-next-line @next/next/no-img-element -- static SVG from public/ */}
      <img
        src={`/preview/device-frame-${appearance}.svg`}
        alt=""
        className="pointer-events-none absolute inset-0 size-full"
      />
    </figure>
  );
}
