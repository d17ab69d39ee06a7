import { ROLE_LABELS, type Role } from "@/lib/auth/permissions";
import { Badge, type BadgeProps } from "./ui/badge";

const ROLE_VARIANT: Record<Role, BadgeProps["variant"]> = {
  ADMIN: "accent",
  MARKETING: "secondary",
  SUPPORT: "outline",
};

export function RoleBadge({ role }: { role: Role }) {
  return <Badge variant={ROLE_VARIANT[role]}>{ROLE_LABELS[role]}</Badge>;
}
