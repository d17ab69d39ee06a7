import { ChevronLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { PageHeader } from "@/components/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { getDeviceDetail } from "@/lib/devices";
import { getDeviceTimeline } from "@/lib/devices/device-timeline";
import { isAppError } from "@/lib/errors";
import { parseId } from "@/lib/validations/device";
import { DeliveryTimeline } from "./delivery-timeline";
import { DeviceFacts } from "./device-facts";
import { DeviceSkeleton } from "./device-skeleton";
import { RegistrationHistory } from "./registration-history";
import { RevokeDeviceButton } from "./revoke-device-button";
import { TestPushPanel } from "./test-push-panel";

export const metadata: Metadata = { title: "Device" };

type Props = {
  params: Promise<{ deviceId: string }>;
  searchParams: Promise<{ before?: string | string[] }>;
};

/**
 * The id and the timeline cursor (?before=) are checked before anything streams: a bad one is a real
 * 404, not a database error (ids are Int columns; 1e30 is not one).
 */
export default async function DevicePage({ params, searchParams }: Props) {
  await requirePagePermission("devices.read");
  const id = parseId((await params).deviceId);
  const { before: rawBefore } = await searchParams;
  const before = rawBefore === undefined ? undefined : parseId(rawBefore);
  if (id === null || before === null) notFound();

  return (
    <Suspense fallback={<DeviceSkeleton />}>
      <Device id={id} before={before} />
    </Suspense>
  );
}

async function Device({ id, before }: { id: number; before: number | undefined }) {
  const actor = await requirePagePermission("devices.read");
  const principal = { kind: "user" as const, ...actor };
  const detail = await getDeviceDetail(principal, id).catch((error) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const timeline = await getDeviceTimeline(principal, id, { limit: 25, cursor: before });
  const { device, events } = detail;
  const title = device.model ? `${device.model} · ${device.app}` : `Device ${device.id}`;

  return (
    <>
      <Link
        href={device.userId ? `/devices/users/${encodeURIComponent(device.userId)}` : "/devices"}
        className="text-muted-foreground hover:text-foreground mb-3 inline-flex items-center gap-1 text-sm"
      >
        <ChevronLeft className="size-4" aria-hidden />{" "}
        {device.userId ? `All devices of ${device.userId}` : "Devices"}
      </Link>
      <PageHeader
        title={title}
        description={`Device ${device.id}${device.userId ? ` of user ${device.userId}` : ""}, ${device.environment}.`}
        actions={
          can(actor.role, "devices.write") && device.status !== "revoked" ? (
            <RevokeDeviceButton deviceId={device.id} />
          ) : null
        }
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="flex min-w-0 flex-col gap-6">
          <DeviceFacts device={device} />
          <DeliveryTimeline
            entries={timeline.entries}
            moreHref={timeline.nextCursor ? `/devices/${id}?before=${timeline.nextCursor}` : null}
          />
        </div>
        <div className="flex min-w-0 flex-col gap-6">
          {!can(actor.role, "devices.test-push") ? null : device.status === "revoked" ? (
            <Alert>
              <AlertTitle>Test pushes are off</AlertTitle>
              <AlertDescription>
                This device is revoked. It becomes active again when the app registers its token.
              </AlertDescription>
            </Alert>
          ) : (
            <TestPushPanel deviceId={device.id} environment={device.environment} />
          )}
          <RegistrationHistory events={events} />
        </div>
      </div>
    </>
  );
}
