import { Activity, BarChart3, CheckCircle2, Megaphone, Send, Smartphone } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { getOverviewStats } from "@/lib/overview/get-overview-stats";
import { StatCard } from "./stat-card";

export const metadata: Metadata = { title: "Overview" };

const count = (n: number) => n.toLocaleString("en");

export default async function OverviewPage() {
  const actor = await requirePagePermission("overview.read");
  const stats = await getOverviewStats({ kind: "user", ...actor });
  const rate = stats.acceptanceRate === null ? "—" : `${(stats.acceptanceRate * 100).toFixed(1)}%`;

  return (
    <>
      <PageHeader
        title="Overview"
        description={`Welcome back, ${actor.name.split(" ")[0] || actor.email}. Here is how your pushes are doing.`}
      />
      <section aria-label="Key figures" className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard
          title="Sends (24 h)"
          value={count(stats.sends24h)}
          hint="Notifications sent to APNs"
          icon={Send}
        />
        <StatCard
          title="Acceptance rate"
          value={rate}
          hint="Accepted by APNs, last 24 h"
          icon={CheckCircle2}
        />
        <StatCard
          title="Active devices"
          value={count(stats.activeDevices)}
          hint="Tokens that can receive pushes"
          icon={Smartphone}
        />
        <StatCard
          title="Campaigns running"
          value={count(stats.campaignsRunning)}
          hint="Sending right now"
          icon={Activity}
        />
      </section>
      <EmptyState
        icon={BarChart3}
        title="Delivery activity will show here"
        className="mt-6"
        action={
          can(actor.role, "campaigns.read") ? (
            <Button asChild>
              <Link href="/campaigns">
                <Megaphone aria-hidden /> Go to campaigns
              </Link>
            </Button>
          ) : can(actor.role, "devices.read") ? (
            <Button asChild variant="outline">
              <Link href="/devices">
                <Smartphone aria-hidden /> Browse devices
              </Link>
            </Button>
          ) : null
        }
      >
        Once notifications go out you will see sends and APNs answers over time, the campaigns in
        flight and the most common rejection reasons.
      </EmptyState>
    </>
  );
}
