import { authorize, type Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { getDb } from "@/lib/db/client";

/** An app as pickers and filters show it: no credentials, no counts. */
export type AppChoice = { id: string; bundleId: string; name: string; archived: boolean };

/**
 * The apps by name, for the app pickers and filters of every area (device search, import, API
 * keys, campaigns). Names and bundle ids are shown to every staff role: apps.read, which every
 * role holds; API keys have no use for it and are refused.
 */
export async function findApps(
  actor: Actor,
  input: { includeArchived?: boolean } = {},
  options: { db?: DbTx } = {},
): Promise<AppChoice[]> {
  authorize(actor, { permission: "apps.read" });
  const rows = await (options.db ?? getDb()).app.findMany({
    where: input.includeArchived ? {} : { archivedAt: null },
    select: { id: true, bundleId: true, name: true, archivedAt: true },
    orderBy: { name: "asc" },
  });

  return rows.map(({ archivedAt, ...app }) => ({ ...app, archived: archivedAt !== null }));
}

export type AppSummary = AppChoice & { credentials: number; devices: number };

/** Every app with its credential and device counts (apps.manage: Admin → Apps, `pushdeck app list`). */
export async function findAppSummaries(
  actor: Actor,
  options: { db?: DbTx } = {},
): Promise<AppSummary[]> {
  authorize(actor, { permission: "apps.manage" });
  const rows = await (options.db ?? getDb()).app.findMany({
    orderBy: { bundleId: "asc" },
    select: {
      id: true,
      bundleId: true,
      name: true,
      archivedAt: true,
      _count: { select: { credentials: true, devices: true } },
    },
  });

  return rows.map(({ archivedAt, _count, ...app }) => ({
    ...app,
    archived: archivedAt !== null,
    ..._count,
  }));
}
