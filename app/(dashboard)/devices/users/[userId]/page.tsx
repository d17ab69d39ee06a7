import { ChevronLeft, UserX } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { findDevices } from "@/lib/devices";
import { PAGE_SIZE_MAX } from "@/lib/validations/device";
import { UserDeviceCard } from "./user-device-card";

export const metadata: Metadata = { title: "User devices" };

type Props = { params: Promise<{ userId: string }> };

/** All devices of one user id, side by side: what support looks at first when a user calls. */
export default async function UserDevicesPage({ params }: Props) {
  const actor = await requirePagePermission("devices.read");
  const userId = decodeURIComponent((await params).userId);
  const { devices, nextCursor } = await findDevices(
    { kind: "user", ...actor },
    { userId, limit: PAGE_SIZE_MAX },
  );
  const active = devices.filter((d) => d.status === "active").length;

  return (
    <>
      <Link
        href="/devices"
        className="text-muted-foreground hover:text-foreground mb-3 inline-flex items-center gap-1 text-sm"
      >
        <ChevronLeft className="size-4" aria-hidden /> Devices
      </Link>
      <PageHeader
        title={`User ${userId}`}
        description={
          devices.length
            ? `${devices.length}${nextCursor ? "+" : ""} ${devices.length === 1 ? "device" : "devices"}, ${active} active.`
            : undefined
        }
      />
      {devices.length === 0 ? (
        <EmptyState icon={UserX} title="No devices for this user ID">
          No app has registered a device with the user ID{" "}
          <code className="font-mono">{userId}</code>. User IDs are matched exactly, as the app
          backend sent them.
        </EmptyState>
      ) : (
        <ul
          className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3"
          aria-label={`Devices of ${userId}`}
        >
          {devices.map((device) => (
            <li key={device.id}>
              <UserDeviceCard device={device} />
            </li>
          ))}
        </ul>
      )}
      {nextCursor ? (
        <p className="text-muted-foreground mt-4 text-sm">
          Showing the newest {devices.length}.{" "}
          <Link
            className="text-primary underline underline-offset-2 hover:no-underline"
            href={`/devices?user=${encodeURIComponent(userId)}`}
          >
            See them all in the search
          </Link>
          .
        </p>
      ) : null}
    </>
  );
}
