import { z } from "zod";
import { authorize, type Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { getDb } from "@/lib/db/client";
import { visibleToken } from "@/lib/devices";

export const DELIVERY_STATUSES = [
  "QUEUED",
  "SENDING",
  "ACCEPTED",
  "REJECTED",
  "FAILED",
  "DEFERRED",
  "CANCELLED",
] as const;
export const DELIVERY_KINDS = ["CAMPAIGN", "TEST", "TRANSACTIONAL"] as const;
export const DELIVERIES_PAGE_SIZE = 50;

export const deliverySearchSchema = z.object({
  status: z.enum(DELIVERY_STATUSES).optional().catch(undefined),
  kind: z.enum(DELIVERY_KINDS).optional().catch(undefined),
  // Keyset cursor: the id of the last row of the previous page (ids grow with createdAt).
  cursor: z.coerce.number().int().positive().optional().catch(undefined),
});
export type DeliverySearch = z.output<typeof deliverySearchSchema>;

export type DeliveryListItem = {
  id: number;
  kind: string;
  status: string;
  apnsStatus: number | null;
  reason: string | null;
  apnsId: string;
  campaign: { id: string; name: string } | null;
  device: {
    id: number;
    token: string;
    tokenMasked: boolean;
    userId: string | null;
    environment: string;
  };
  app: string;
  createdAt: string;
};

/**
 * Recent deliveries across campaigns and tests, newest first (the Deliveries page, every role).
 * Newest first by id, served by the primary key; tokens are shown by the registry's one reveal
 * rule (visibleToken) — marketing sees this page, and must never get a sendable token.
 */
export async function findDeliveries(
  actor: Actor,
  search: DeliverySearch,
  options: { db?: DbTx; limit?: number } = {},
): Promise<{ deliveries: DeliveryListItem[]; nextCursor: number | null }> {
  authorize(actor, { permission: "deliveries.read" });
  const db = options.db ?? getDb();
  const limit = options.limit ?? DELIVERIES_PAGE_SIZE;
  const rows = await db.delivery.findMany({
    where: {
      ...(search.status ? { status: search.status } : {}),
      ...(search.kind ? { kind: search.kind } : {}),
      ...(search.cursor ? { id: { lt: search.cursor } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
    select: {
      id: true,
      kind: true,
      status: true,
      apnsStatus: true,
      reason: true,
      apnsId: true,
      createdAt: true,
      campaign: { select: { id: true, name: true } },
      device: {
        select: {
          id: true,
          token: true,
          userId: true,
          environment: true,
          app: { select: { bundleId: true } },
        },
      },
    },
  });
  const page = rows.slice(0, limit);

  return {
    deliveries: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      apnsStatus: r.apnsStatus,
      reason: r.reason,
      apnsId: r.apnsId,
      campaign: r.campaign,
      device: {
        id: r.device.id,
        ...visibleToken(actor, r.device.token),
        userId: r.device.userId,
        environment: r.device.environment.toLowerCase(),
      },
      app: r.device.app.bundleId,
      createdAt: r.createdAt.toISOString(),
    })),
    nextCursor: rows.length > limit ? page.at(-1)!.id : null,
  };
}
