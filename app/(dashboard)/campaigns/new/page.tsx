import { Smartphone } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { findApps } from "@/lib/apps/find-apps";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { findTestDevices } from "@/lib/campaigns/test-devices";
import { findTemplates } from "@/lib/campaigns/templates";
import { ComposerClient } from "../composer-client";
import { newCampaignValues, serializeTestDevice } from "../initial-values";
import { TemplatePicker } from "../template-picker";

export const metadata: Metadata = { title: "New campaign" };

type Props = { searchParams: Promise<{ template?: string | string[] }> };

export default async function NewCampaignPage({ searchParams }: Props) {
  const actor = await requirePagePermission("campaigns.write");
  const principal = { kind: "user" as const, ...actor };
  const { template: raw } = await searchParams;
  const templateId = Array.isArray(raw) ? raw[0] : raw;
  const [apps, templates] = await Promise.all([findApps(principal), findTemplates(principal)]);
  const template = templates.find((t) => t.id === templateId);
  const testDevices = (await findTestDevices(principal)).map(serializeTestDevice);

  return (
    <>
      <PageHeader
        title="New campaign"
        description="Compose the message, check the preview and the test devices, pick the audience, then schedule it. The draft saves itself as you type."
        actions={<TemplatePicker templates={templates} current={template?.id} />}
      />
      {apps.length === 0 ? (
        <EmptyState icon={Smartphone} title="No apps yet">
          A campaign is sent to one app&apos;s devices: an admin adds the app first.
        </EmptyState>
      ) : (
        <ComposerClient
          campaignId={null}
          initial={newCampaignValues(apps[0].bundleId, template?.message)}
          apps={apps}
          canSend={can(actor.role, "campaigns.send")}
          testDevices={testDevices}
        />
      )}
    </>
  );
}
