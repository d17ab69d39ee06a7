import { cn } from "@/lib/utils";
import { NotificationCard, type Appearance, type NotificationContent } from "./notification-card";
import { PhoneScreen } from "./phone-screen";

// The lock screen's clock tints with the wallpaper on iOS: deep indigo on the light one, white at night.
const CLOCK: Record<Appearance, string> = { light: "text-indigo-950", dark: "text-white" };
const NOTE: Record<Appearance, string> = {
  light: "bg-white/85 text-zinc-800",
  dark: "bg-zinc-800/90 text-zinc-100",
};

/**
 * The lock screen with the campaign's notification. With a thread-id iOS stacks it on the earlier
 * notifications of the same thread, drawn here as two cards peeking out below it. `emptyText`
 * stands in for pushes that show nothing (background, widgets, …).
 */
export function LockScreenPreview({
  notification,
  appearance,
  threadId,
  emptyText,
}: {
  notification: NotificationContent | null;
  appearance: Appearance;
  threadId?: string;
  emptyText?: string;
}) {
  const stacked = Boolean(threadId);

  return (
    <PhoneScreen appearance={appearance} label={`Lock screen, ${appearance}`}>
      <div className={cn("mt-12 text-center", CLOCK[appearance])} aria-hidden>
        <p className="text-[13px] font-semibold">Monday 9 June</p>
        <p className="text-[64px] leading-none font-semibold tracking-tight">9:41</p>
      </div>
      <div className="mt-auto mb-16 px-2.5">
        {notification ? (
          <div className="relative">
            <NotificationCard
              content={notification}
              appearance={appearance}
              className="relative z-10"
            />
            {stacked ? (
              <>
                <div
                  aria-hidden
                  className={cn("mx-2.5 -mt-3 h-5 rounded-b-[16px] opacity-80", NOTE[appearance])}
                />
                <div
                  aria-hidden
                  className={cn("mx-5 -mt-3 h-5 rounded-b-[14px] opacity-60", NOTE[appearance])}
                />
              </>
            ) : null}
          </div>
        ) : (
          <p className={cn("rounded-[18px] px-3 py-2.5 text-center text-xs", NOTE[appearance])}>
            {emptyText ?? "Nothing is shown for this push."}
          </p>
        )}
      </div>
    </PhoneScreen>
  );
}
