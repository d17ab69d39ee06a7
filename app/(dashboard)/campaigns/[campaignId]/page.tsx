import { ChevronLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { AudienceSummary } from "@/components/campaigns/audience/audience-summary";
import { CampaignStatusBadge } from "@/components/campaigns/campaign-status-badge";
import { PageHeader } from "@/components/page-header";
import { findApps } from "@/lib/apps/find-apps";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { findTestDevices } from "@/lib/campaigns/test-devices";
import { getCampaign } from "@/lib/campaigns/campaigns";
import { ComposerClient } from "../composer-client";
import { campaignValues, serializeTestDevice } from "../initial-values";
import { StatusBanner } from "./status-banner";

export const metadata: Metadata = { title: "Campaign" };

type Props = { params: Promise<{ campaignId: string }> };

/** A draft opens in the composer; any other status shows the campaign read-only, with its status. */
export default async function CampaignPage({ params }: Props) {
  const actor = await requirePagePermission("campaigns.read");
  const principal = { kind: "user" as const, ...actor };
  const campaign = await getCampaign(principal, { id: (await params).campaignId });
  const apps = await findApps(principal, { includeArchived: true });
  const editable = campaign.status === "draft" && can(actor.role, "campaigns.write");
  const testDevices = editable ? (await findTestDevices(principal)).map(serializeTestDevice) : [];

  return (
    <>
      <Link
        href="/campaigns"
        className="text-muted-foreground hover:text-foreground mb-3 inline-flex items-center gap-1 text-sm"
      >
        <ChevronLeft className="size-4" aria-hidden /> Campaigns
      </Link>
      <PageHeader
        title={campaign.name}
        description={
          <span className="flex items-center gap-2">
            <CampaignStatusBadge status={campaign.status} />
            {campaign.app.name} · {campaign.environment}
          </span>
        }
      />
      {editable ? null : (
        <StatusBanner
          id={campaign.id}
          status={campaign.status}
          scheduledAt={campaign.scheduledAt ? campaign.scheduledAt.toISOString() : null}
          localTime={campaign.localTime}
          ratePerMinute={campaign.ratePerMinute}
          audienceCount={campaign.audienceCount}
          canSend={can(actor.role, "campaigns.send")}
          canWrite={can(actor.role, "campaigns.write")}
        >
          <AudienceSummary audience={campaign.audience} />
        </StatusBanner>
      )}
      <ComposerClient
        key={campaign.id}
        campaignId={campaign.id}
        initial={campaignValues(campaign)}
        apps={apps}
        canSend={can(actor.role, "campaigns.send")}
        testDevices={testDevices}
        readOnly={!editable}
      />
    </>
  );
}
