import {
  BookOpen,
  Circle,
  Key,
  KeyRound,
  LayoutDashboard,
  Megaphone,
  ScrollText,
  Send,
  Smartphone,
  Users,
  type LucideIcon,
} from "lucide-react";

/** Resolves the icon names in config/nav.ts (kebab-case lucide names) to components. */
const NAV_ICONS: Record<string, LucideIcon> = {
  "layout-dashboard": LayoutDashboard,
  megaphone: Megaphone,
  smartphone: Smartphone,
  send: Send,
  "key-round": KeyRound,
  users: Users,
  key: Key,
  "scroll-text": ScrollText,
  "book-open": BookOpen,
};

export function navIcon(name: string): LucideIcon {
  return NAV_ICONS[name] ?? Circle;
}
