import { cn } from "@/lib/utils";

export type Appearance = "light" | "dark";

/** What one notification shows, in the words iOS draws it with. */
export type NotificationContent = {
  appName: string;
  /** The app's own icon; the default one of the appearance when absent. */
  iconSrc?: string;
  title?: string;
  subtitle?: string;
  body?: string;
  /** iOS labels time-sensitive and critical notifications above the title. */
  interruptionLevel?: string;
};

const MATERIAL: Record<Appearance, string> = {
  // Opaque enough that the text keeps 4.5:1 whatever the wallpaper behind it.
  light: "bg-white/85 text-black shadow-sm",
  dark: "bg-zinc-800/90 text-white",
};
const MUTED: Record<Appearance, string> = { light: "text-zinc-600", dark: "text-zinc-300" };

/**
 * One notification as iOS draws it on the lock screen or as a banner: the app's icon, its name and
 * "now", then title, subtitle and body (four lines at most, as on the phone).
 */
export function NotificationCard({
  content,
  appearance,
  className,
}: {
  content: NotificationContent;
  appearance: Appearance;
  className?: string;
}) {
  const level =
    content.interruptionLevel === "time-sensitive"
      ? "Time Sensitive"
      : content.interruptionLevel === "critical"
        ? "Critical"
        : null;

  return (
    <div
      className={cn(
        "flex gap-2.5 rounded-[18px] px-3 py-2.5 backdrop-blur-md",
        MATERIAL[appearance],
        className,
      )}
      data-testid="notification-card"
    >
      {/* eslint-disable-next-line @next/next/no-img-element -- a small static SVG from public/ */}
      <img
        src={content.iconSrc || `/preview/app-icon-${appearance}.svg`}
        alt=""
        className="mt-0.5 size-7 shrink-0 rounded-[7px]"
      />
      <div className="min-w-0 flex-1 text-[12.5px] leading-[1.3]">
        <div
          className={cn("flex items-baseline justify-between gap-2 text-[11px]", MUTED[appearance])}
        >
          <span className="truncate uppercase">{content.appName}</span>
          <span className="shrink-0">now</span>
        </div>
        {level ? (
          <p className="text-[10.5px] font-semibold tracking-wide uppercase">{level}</p>
        ) : null}
        {content.title ? <p className="truncate font-semibold">{content.title}</p> : null}
        {content.subtitle ? <p className="truncate font-semibold">{content.subtitle}</p> : null}
        {content.body ? (
          <p className="line-clamp-4 break-words whitespace-pre-line">{content.body}</p>
        ) : null}
      </div>
    </div>
  );
}
