import { Send } from "lucide-react";
import Link from "next/link";
import { DeliveryStatusBadge } from "@/components/delivery-status-badge";
import { EmptyState } from "@/components/empty-state";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { TimelineEntry } from "@/lib/devices/device-timeline";

/** Each push to this device, newest first: when, what (campaign or test), and APNs' answer. */
export function DeliveryTimeline({
  entries,
  moreHref,
}: {
  entries: TimelineEntry[];
  moreHref: string | null;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Delivery timeline</h2>
        </CardTitle>
      </CardHeader>
      <CardContent>
        {entries.length === 0 ? (
          <EmptyState icon={Send} title="Nothing sent to this device yet" className="py-8">
            Campaign sends and test pushes to this device will be listed here with APNs&apos;
            answer.
          </EmptyState>
        ) : (
          <ol
            aria-label="Deliveries, newest first"
            className="relative flex flex-col gap-4 border-l pl-5"
          >
            {entries.map((d) => (
              <li key={d.id} className="relative" data-testid="timeline-entry">
                <span
                  aria-hidden
                  className="bg-primary ring-background absolute top-1.5 -left-[1.6rem] size-2.5 rounded-full ring-4"
                />
                <div className="flex flex-wrap items-center gap-2">
                  <DeliveryStatusBadge status={d.status} apnsStatus={d.apnsStatus} />
                  {d.kind === "CAMPAIGN" && d.campaignId ? (
                    <Link
                      href={`/campaigns/${d.campaignId}`}
                      className="text-primary text-sm hover:underline"
                    >
                      {d.campaignName ?? "Campaign"}
                    </Link>
                  ) : (
                    <Badge variant="outline">
                      {d.kind === "TEST" ? "Test push" : d.kind.toLowerCase()}
                    </Badge>
                  )}
                  {d.reason ? (
                    <code className="text-destructive font-mono text-xs">{d.reason}</code>
                  ) : null}
                  <RelativeTime
                    value={d.completedAt ?? d.createdAt}
                    className="text-muted-foreground ml-auto text-xs tabular-nums"
                  />
                </div>
                <dl className="text-muted-foreground mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-xs">
                  <dt>apns-id</dt>
                  <dd className="font-mono break-all">{d.apnsId}</dd>
                  {d.apnsUniqueId ? (
                    <>
                      <dt>apns-unique-id</dt>
                      <dd className="font-mono break-all">{d.apnsUniqueId}</dd>
                    </>
                  ) : null}
                  {d.attempts > 1 ? (
                    <>
                      <dt>attempts</dt>
                      <dd>{d.attempts}</dd>
                    </>
                  ) : null}
                </dl>
              </li>
            ))}
          </ol>
        )}
        {moreHref ? (
          <Link href={moreHref} className="text-primary mt-4 inline-block text-sm hover:underline">
            Older deliveries
          </Link>
        ) : null}
      </CardContent>
    </Card>
  );
}
