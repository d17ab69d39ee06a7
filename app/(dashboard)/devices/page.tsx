import { Smartphone } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { requirePagePermission } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Devices" };

export default async function DevicesPage() {
  await requirePagePermission("devices.read");

  return (
    <>
      <PageHeader
        title="Devices"
        description="Every device token your apps have registered, and its state."
      />
      <EmptyState icon={Smartphone} title="No devices to show yet">
        Registered devices will appear here as your apps call the registration API. Search by user
        ID or token to see a device&apos;s history, send it a test push, or revoke it.
      </EmptyState>
    </>
  );
}
