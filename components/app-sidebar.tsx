import { NAV_ITEMS, type NavItem } from "@/config/nav";
import { can, type Role } from "@/lib/auth/permissions";
import { BrandLink } from "./brand";
import { SidebarNav } from "./sidebar-nav";

/** The entries a role may see: the same permission table the pages enforce. */
export function visibleNavItems(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => can(role, item.permission));
}

/** The side-by-side sidebar from 1024 px up; narrower screens use MobileNav in the top bar. */
export function AppSidebar({ role }: { role: Role }) {
  return (
    <aside className="bg-sidebar sticky top-0 hidden h-dvh w-60 shrink-0 flex-col border-r lg:flex">
      <div className="flex h-14 items-center border-b px-4">
        <BrandLink />
      </div>
      <div className="flex-1 overflow-y-auto px-3 py-4">
        <SidebarNav items={visibleNavItems(role)} />
      </div>
    </aside>
  );
}
