import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { listApiKeys } from "@/lib/api-keys/manage-api-keys";
import { findApps } from "@/lib/apps/find-apps";
import { API_SCOPES } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { ApiKeysTable, type ApiKeyRow } from "./api-keys-table";
import { CreateApiKeyDialog } from "./create-api-key-dialog";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const actor = await requirePagePermission("api-keys.manage");
  const principal = { kind: "user" as const, ...actor };
  const [keys, apps] = await Promise.all([listApiKeys(principal), findApps(principal)]);
  const rows: ApiKeyRow[] = keys.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    app: k.app?.bundleId ?? null,
    createdBy: k.createdBy?.email ?? null,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  }));

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys your app backends use to register devices and send notifications. The secret is shown once; only its hash is stored."
        actions={<CreateApiKeyDialog scopes={[...API_SCOPES]} apps={apps} />}
      />
      <ApiKeysTable rows={rows} />
    </>
  );
}
