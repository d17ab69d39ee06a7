import { Key } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { requirePagePermission } from "@/lib/auth/session";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  await requirePagePermission("api-keys.manage");

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys your app backends use to register devices and send notifications."
      />
      <EmptyState icon={Key} title="No API keys yet">
        Keys you create will be listed here with their scopes, app and last use. The secret is shown
        once, at creation; revoked keys stay listed for the record.
      </EmptyState>
    </>
  );
}
