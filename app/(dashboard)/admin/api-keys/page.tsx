import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { listApiKeysAction } from "@/lib/api-keys/actions";
import { API_SCOPES } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { ApiKeysTable, type ApiKeyRow } from "./api-keys-table";
import { CreateApiKeyDialog } from "./create-api-key-dialog";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  await requirePagePermission("api-keys.manage");
  const [result, apps] = await Promise.all([
    listApiKeysAction({}),
    getDb().app.findMany({
      where: { archivedAt: null },
      select: { bundleId: true, name: true },
      orderBy: { name: "asc" },
    }),
  ]);
  if (!result.ok) throw new Error(result.error);
  const rows: ApiKeyRow[] = result.data.map((k) => ({
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
