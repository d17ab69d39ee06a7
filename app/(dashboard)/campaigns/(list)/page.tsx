import { Megaphone } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { requirePagePermission } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage() {
  await requirePagePermission("campaigns.read");

  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Compose, preview, schedule and send notifications to an audience."
      />
      <EmptyState icon={Megaphone} title="No campaigns yet">
        Your campaigns will be listed here with their status, audience size and delivery progress —
        drafts, scheduled sends and finished ones.
      </EmptyState>
    </>
  );
}
