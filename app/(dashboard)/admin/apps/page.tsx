import { KeyRound } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { requirePagePermission } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Apps & credentials" };

export default async function AppsPage() {
  await requirePagePermission("apps.manage");

  return (
    <>
      <PageHeader
        title="Apps & credentials"
        description="Your apps, their bundle IDs and the APNs keys and certificates used to reach them."
      />
      <EmptyState icon={KeyRound} title="App management is coming">
        Add an app by bundle ID, then upload an APNs auth key (.p8) or certificate (.p12). Key
        material is encrypted at rest and never shown again.
      </EmptyState>
    </>
  );
}
