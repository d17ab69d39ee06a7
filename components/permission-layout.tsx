import { requirePagePermission } from "@/lib/auth/session";
import type { Permission } from "@/lib/auth/permissions";

/**
 * A segment layout that checks `permission` before anything streams. Next only answers HTTP 403
 * when forbidden() runs before the first byte; a check inside page.tsx runs after the segment's
 * loading.tsx fallback has started the response (status 200). The page checks again itself, because
 * a layout is not re-run on every navigation inside its segment.
 */
export function permissionLayout(permission: Permission) {
  return async function PermissionLayout({ children }: { children: React.ReactNode }) {
    await requirePagePermission(permission);

    return children;
  };
}
