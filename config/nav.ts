import type { Permission } from "@/lib/auth/permissions";

export type NavItem = {
  title: string;
  href: string;
  permission: Permission;
  /** lucide-react icon name, resolved by the sidebar. */
  icon: string;
  section: "main" | "admin";
};

/** The sidebar: each entry shows only to roles that hold its permission (lib/auth/permissions.ts). */
export const NAV_ITEMS: readonly NavItem[] = [
  {
    title: "Overview",
    href: "/",
    permission: "overview.read",
    icon: "layout-dashboard",
    section: "main",
  },
  {
    title: "Campaigns",
    href: "/campaigns",
    permission: "campaigns.read",
    icon: "megaphone",
    section: "main",
  },
  {
    title: "Devices",
    href: "/devices",
    permission: "devices.read",
    icon: "smartphone",
    section: "main",
  },
  {
    title: "Deliveries",
    href: "/deliveries",
    permission: "deliveries.read",
    icon: "send",
    section: "main",
  },
  {
    title: "API reference",
    href: "/api-reference",
    permission: "api-docs.read",
    icon: "book-open",
    section: "main",
  },
  {
    title: "Apps & credentials",
    href: "/admin/apps",
    permission: "apps.manage",
    icon: "key-round",
    section: "admin",
  },
  {
    title: "Users",
    href: "/admin/users",
    permission: "users.manage",
    icon: "users",
    section: "admin",
  },
  {
    title: "API keys",
    href: "/admin/api-keys",
    permission: "api-keys.manage",
    icon: "key",
    section: "admin",
  },
  {
    title: "Audit log",
    href: "/admin/audit",
    permission: "audit.read",
    icon: "scroll-text",
    section: "admin",
  },
];
