import { DeviceStatusBadge } from "@/components/device-status-badge";
import { DeviceToken } from "@/components/device-token";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { DeviceDto } from "@/lib/devices/device-dto";
import { cn } from "@/lib/utils";

/** One dt/dd pair in its own div: the only wrapper a <dl> may hold around its groups. */
function Fact({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <div className={cn("flex flex-col gap-0.5", className)}>
      <dt className="text-muted-foreground text-xs">{label}</dt>
      <dd className="min-w-0 text-sm">{children}</dd>
    </div>
  );
}

const orDash = (value: string | null) => value ?? <span className="text-muted-foreground">—</span>;

/** Every stored attribute of a device, with its state and registration dates. */
export function DeviceFacts({ device }: { device: DeviceDto }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Device</h2>
        </CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-2 lg:grid-cols-3">
          <Fact label="Token" className="sm:col-span-2 lg:col-span-3">
            <DeviceToken token={device.token} masked={device.tokenMasked} />
          </Fact>
          <Fact label="Status">
            <span className="flex flex-wrap items-center gap-2">
              <DeviceStatusBadge status={device.status} />
              {device.invalidReason ? (
                <span className="text-muted-foreground text-xs">{device.invalidReason}</span>
              ) : null}
            </span>
          </Fact>
          {device.invalidatedAt ? (
            <Fact label={device.status === "revoked" ? "Revoked" : "Invalid since"}>
              <RelativeTime value={device.invalidatedAt} />
            </Fact>
          ) : null}
          <Fact label="App">
            <span className="font-mono text-xs">{device.app}</span>
          </Fact>
          <Fact label="Environment">
            <Badge variant="outline">{device.environment}</Badge>
          </Fact>
          <Fact label="User ID">{orDash(device.userId)}</Fact>
          <Fact label="Model">{orDash(device.model)}</Fact>
          <Fact label="OS version">{orDash(device.osVersion)}</Fact>
          <Fact label="App version">{orDash(device.appVersion)}</Fact>
          <Fact label="Locale">{orDash(device.locale)}</Fact>
          <Fact label="Time zone">{orDash(device.timeZone)}</Fact>
          <Fact label="First seen">
            <RelativeTime value={device.firstSeenAt} />
          </Fact>
          <Fact label="Last refreshed">
            <RelativeTime value={device.lastRegisteredAt} />
          </Fact>
          <Fact label="Re-activations">
            {device.reactivationCount}
            {device.reactivatedAt ? (
              <>
                {" "}
                (last <RelativeTime value={device.reactivatedAt} />)
              </>
            ) : null}
          </Fact>
          <Fact label="Tags">
            <span className="flex flex-wrap gap-1">
              {device.tags.length
                ? device.tags.map((t) => (
                    <Badge key={t} variant="secondary">
                      {t}
                    </Badge>
                  ))
                : orDash(null)}
            </span>
          </Fact>
          <Fact label="Attributes" className="sm:col-span-2 lg:col-span-3">
            {device.attributes && Object.keys(device.attributes).length ? (
              <pre
                tabIndex={0}
                className="bg-muted focus-visible:ring-ring overflow-x-auto rounded-md p-2 font-mono text-xs focus-visible:ring-2 focus-visible:outline-none"
              >
                {JSON.stringify(device.attributes, null, 2)}
              </pre>
            ) : (
              orDash(null)
            )}
          </Fact>
        </dl>
      </CardContent>
    </Card>
  );
}
