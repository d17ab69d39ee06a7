import { Badge } from "@/components/ui/badge";

export type DeviceStatus = "active" | "invalid" | "revoked";

const VARIANTS = { active: "success", invalid: "warning", revoked: "secondary" } as const;
const LABELS: Record<DeviceStatus, string> = {
  active: "Active",
  invalid: "Invalid",
  revoked: "Revoked",
};

/** Active green, invalid amber, revoked gray: the same colours on every page that shows a device. */
export function DeviceStatusBadge({ status }: { status: DeviceStatus }) {
  return <Badge variant={VARIANTS[status]}>{LABELS[status]}</Badge>;
}
