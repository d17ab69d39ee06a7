import { Badge } from "@/components/ui/badge";

const VARIANTS: Record<string, "success" | "warning" | "destructive" | "secondary" | "outline"> = {
  ACCEPTED: "success",
  REJECTED: "destructive",
  FAILED: "destructive",
  DEFERRED: "warning",
  QUEUED: "outline",
  SENDING: "outline",
  CANCELLED: "secondary",
};

/** A delivery's state, with APNs' HTTP status when there was an answer ("200 accepted"). */
export function DeliveryStatusBadge({
  status,
  apnsStatus,
}: {
  status: string;
  apnsStatus?: number | null;
}) {
  const text = status.toLowerCase();

  return (
    <Badge variant={VARIANTS[status] ?? "outline"}>
      {apnsStatus ? `${apnsStatus} ${text}` : text}
    </Badge>
  );
}
