import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requirePagePermission } from "@/lib/auth/session";
import { findAuditEntries } from "@/lib/audit/find-audit-entries";
import { AuditTable, type AuditRow } from "./audit-table";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;

type AuditPageProps = { searchParams: Promise<{ page?: string | string[] }> };

function parsePage(value: string | string[] | undefined): number {
  const n = Number(Array.isArray(value) ? value[0] : value);

  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export default async function AuditPage({ searchParams }: AuditPageProps) {
  const actor = await requirePagePermission("audit.read");
  const { entries, page, total } = await findAuditEntries(
    { kind: "user", ...actor },
    { page: parsePage((await searchParams).page), pageSize: PAGE_SIZE },
  );
  const rows: AuditRow[] = entries.map((entry) => ({
    id: entry.id,
    createdAt: entry.createdAt.toISOString(),
    actorType: entry.actorType,
    actorLabel: entry.actorLabel,
    action: entry.action,
    target: entry.targetType
      ? `${entry.targetType}${entry.targetId ? `:${entry.targetId}` : ""}`
      : null,
    success: entry.success,
    ip: entry.ip,
  }));

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who did what, and when. Every sign-in and change is recorded; entries cannot be edited."
      />
      <AuditTable rows={rows} pagination={{ page, pageSize: PAGE_SIZE, total }} />
    </>
  );
}
