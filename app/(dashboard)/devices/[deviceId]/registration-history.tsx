import { History } from "lucide-react";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { DeviceEventDto } from "@/lib/devices";

const KIND: Record<
  string,
  { label: string; variant: "success" | "warning" | "secondary" | "accent" }
> = {
  REGISTERED: { label: "Registered", variant: "success" },
  REACTIVATED: { label: "Re-activated", variant: "accent" },
  INVALIDATED: { label: "Invalidated", variant: "warning" },
  REVOKED: { label: "Revoked", variant: "secondary" },
  UNREGISTERED: { label: "Unregistered", variant: "secondary" },
};

// Refreshes (app launches) are not events — they only move lastRegisteredAt — so the list stays short.
function describe(detail: Record<string, unknown> | null): string | null {
  if (!detail) return null;
  const parts = [detail.reason, detail.by].filter((v): v is string => typeof v === "string");

  return parts.length ? parts.join(" · ") : null;
}

export function RegistrationHistory({ events }: { events: DeviceEventDto[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Registration history</h2>
        </CardTitle>
      </CardHeader>
      <CardContent>
        {events.length === 0 ? (
          <p className="text-muted-foreground flex items-center gap-2 text-sm">
            <History className="size-4" aria-hidden /> No state changes recorded.
          </p>
        ) : (
          <ol aria-label="Registration history" className="flex flex-col gap-3">
            {events.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                <Badge variant={KIND[e.kind]?.variant ?? "outline"}>
                  {KIND[e.kind]?.label ?? e.kind}
                </Badge>
                <RelativeTime value={e.at} />
                {describe(e.detail) ? (
                  <span className="text-muted-foreground text-xs">{describe(e.detail)}</span>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}
