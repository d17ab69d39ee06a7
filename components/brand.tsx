import Link from "next/link";
import { cn } from "@/lib/utils";

/** The Pushdeck mark (same drawing as app/icon.svg) and word-mark. */
export function BrandMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden className={cn("size-7 shrink-0", className)}>
      <rect width="32" height="32" rx="8" className="fill-primary" />
      <rect x="8" y="11" width="16" height="13" rx="3" fill="#fff" opacity="0.35" />
      <rect x="8" y="8" width="16" height="13" rx="3" fill="#fff" />
      <circle cx="23" cy="9" r="4" fill="#f43f5e" className="stroke-primary" strokeWidth="2" />
      <rect x="11" y="12" width="8" height="2" rx="1" className="fill-primary" />
      <rect x="11" y="16" width="5" height="2" rx="1" className="fill-primary" opacity="0.6" />
    </svg>
  );
}

export function BrandLink({ className }: { className?: string }) {
  return (
    <Link
      href="/"
      className={cn(
        "focus-visible:ring-ring inline-flex items-center gap-2 rounded-md font-semibold tracking-tight focus-visible:ring-2 focus-visible:outline-none",
        className,
      )}
    >
      <BrandMark />
      <span>Pushdeck</span>
    </Link>
  );
}
