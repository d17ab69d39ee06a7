import { cn } from "@/lib/utils";
import { NotificationCard, type Appearance, type NotificationContent } from "./notification-card";

const ICON_TILE: Record<Appearance, string> = { light: "bg-white/50", dark: "bg-white/15" };

/**
 * The banner that drops in from the top while the phone is in use: the top of the home screen
 * (a few placeholder app tiles) with the notification over it.
 */
export function BannerPreview({
  notification,
  appearance,
  emptyText,
}: {
  notification: NotificationContent | null;
  appearance: Appearance;
  emptyText?: string;
}) {
  return (
    <figure
      aria-label={`Banner, ${appearance}`}
      className="relative mx-auto h-[200px] w-[280px] overflow-hidden rounded-t-[35px] select-none"
    >
      {/* eslint-disable-next-line @next/next/no-img-element -- static SVG from public/ */}
      <img
        src={`/preview/wallpaper-${appearance}.svg`}
        alt=""
        className="absolute inset-0 size-full object-cover object-top"
      />
      <div aria-hidden className="absolute inset-x-5 top-24 grid grid-cols-4 gap-4">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className={cn("aspect-square rounded-[12px]", ICON_TILE[appearance])} />
        ))}
      </div>
      <div
        aria-hidden
        className="absolute top-2 left-1/2 h-[22px] w-20 -translate-x-1/2 rounded-full bg-black"
      />
      <div className="relative px-2 pt-10">
        {notification ? (
          <NotificationCard content={notification} appearance={appearance} className="shadow-lg" />
        ) : (
          <p className="rounded-[18px] bg-black/60 px-3 py-2.5 text-center text-xs text-white">
            {emptyText ?? "No banner for this push."}
          </p>
        )}
      </div>
    </figure>
  );
}
