"use client";

import { usePathname } from "next/navigation";
import type { NavItem } from "@/config/nav";
import { isActiveHref } from "./sidebar-nav";

/** The header's title area: the sidebar entry of the current page. */
export function CurrentSection({ items }: { items: readonly NavItem[] }) {
  const pathname = usePathname();
  const current = items.find((item) => isActiveHref(pathname, item.href));
  if (!current) return null;

  return (
    <p className="text-muted-foreground truncate text-sm font-medium">
      {current.section === "admin" ? <span className="hidden sm:inline">Admin / </span> : null}
      <span className="text-foreground">{current.title}</span>
    </p>
  );
}
