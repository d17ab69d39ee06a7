import { ArrowRight } from "lucide-react";
import Link from "next/link";
import { DeviceStatusBadge } from "@/components/device-status-badge";
import { DeviceToken } from "@/components/device-token";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import type { DeviceDto } from "@/lib/devices/device-dto";

export function UserDeviceCard({ device }: { device: DeviceDto }) {
  return (
    <Card className="flex h-full flex-col">
      <CardHeader className="pb-3">
        <div className="flex items-start justify-between gap-2">
          <CardTitle>
            <h2 className="text-base">{device.model ?? "Unknown model"}</h2>
          </CardTitle>
          <DeviceStatusBadge status={device.status} />
        </div>
        <p className="text-muted-foreground font-mono text-xs">{device.app}</p>
      </CardHeader>
      <CardContent className="flex flex-1 flex-col gap-3 text-sm">
        <DeviceToken token={device.token} masked={device.tokenMasked} />
        <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-xs">
          <div>
            <dt className="text-muted-foreground">Environment</dt>
            <dd>
              <Badge variant="outline">{device.environment}</Badge>
            </dd>
          </div>
          <div>
            <dt className="text-muted-foreground">iOS / app</dt>
            <dd>
              {device.osVersion ?? "—"} / {device.appVersion ?? "—"}
            </dd>
          </div>
          <div>
            <dt className="text-muted-foreground">Last refreshed</dt>
            <dd>
              <RelativeTime value={device.lastRegisteredAt} />
            </dd>
          </div>
          <div>
            <dt className="text-muted-foreground">Locale</dt>
            <dd>{device.locale ?? "—"}</dd>
          </div>
        </dl>
        {device.invalidReason ? (
          <p className="text-muted-foreground text-xs">
            {device.status === "invalid" ? "Invalid" : "Revoked"}: {device.invalidReason}
          </p>
        ) : null}
        {device.tags.length ? (
          <div className="flex flex-wrap gap-1">
            {device.tags.map((t) => (
              <Badge key={t} variant="secondary">
                {t}
              </Badge>
            ))}
          </div>
        ) : null}
      </CardContent>
      <CardFooter>
        <Link
          href={`/devices/${device.id}`}
          className="text-primary inline-flex items-center gap-1 text-sm font-medium hover:underline"
        >
          Open device <span className="sr-only">{device.id}</span>
          <ArrowRight className="size-4" aria-hidden />
        </Link>
      </CardFooter>
    </Card>
  );
}
