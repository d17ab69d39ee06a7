import { Send } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { requirePagePermission } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Deliveries" };

export default async function DeliveriesPage() {
  await requirePagePermission("deliveries.read");

  return (
    <>
      <PageHeader
        title="Deliveries"
        description="What was sent to which device, and what APNs answered."
      />
      <EmptyState icon={Send} title="No deliveries yet">
        Each notification sent — by a campaign, a test push or the API — will be listed here with
        its APNs status, reason and attempts.
      </EmptyState>
    </>
  );
}
