"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { NavItem } from "@/config/nav";
import { cn } from "@/lib/utils";
import { navIcon } from "./nav-icons";

/** "/" matches only itself; other entries also match their sub-pages (/campaigns/new). */
export function isActiveHref(pathname: string, href: string): boolean {
  if (href === "/") return pathname === "/";

  return pathname === href || pathname.startsWith(`${href}/`);
}

type SidebarNavProps = { items: readonly NavItem[]; onNavigate?: () => void };

export function SidebarNav({ items, onNavigate }: SidebarNavProps) {
  const pathname = usePathname();
  const main = items.filter((item) => item.section === "main");
  const admin = items.filter((item) => item.section === "admin");

  const renderItem = (item: NavItem) => {
    const Icon = navIcon(item.icon);
    const active = isActiveHref(pathname, item.href);

    return (
      <li key={item.href}>
        <Link
          href={item.href}
          onClick={onNavigate}
          aria-current={active ? "page" : undefined}
          className={cn(
            "text-muted-foreground hover:bg-accent/70 hover:text-foreground focus-visible:ring-ring flex items-center gap-2.5 rounded-md px-2.5 py-2 text-sm font-medium transition-colors focus-visible:ring-2 focus-visible:outline-none",
            active &&
              "bg-accent text-accent-foreground hover:bg-accent hover:text-accent-foreground",
          )}
        >
          <Icon className="size-4 shrink-0" aria-hidden />
          {item.title}
        </Link>
      </li>
    );
  };

  return (
    <nav aria-label="Main" className="flex flex-col gap-6">
      <ul className="flex flex-col gap-0.5">{main.map(renderItem)}</ul>
      {admin.length > 0 ? (
        <div className="flex flex-col gap-1.5">
          <h2
            id="nav-admin-heading"
            className="text-muted-foreground px-2.5 text-xs font-medium tracking-wide uppercase"
          >
            Admin
          </h2>
          <ul aria-labelledby="nav-admin-heading" className="flex flex-col gap-0.5">
            {admin.map(renderItem)}
          </ul>
        </div>
      ) : null}
    </nav>
  );
}
