import { sqlDate, type SqlRunner } from "@/lib/db/sql";

export type NewDelivery = {
  kind: "CAMPAIGN" | "TEST" | "TRANSACTIONAL";
  deviceId: number;
  status: "QUEUED" | "SENDING";
  apnsId: string;
  payload: string;
  campaignId?: string | null;
  createdById?: string | null;
};

/**
 * One delivery row, written with the SQL runner in the caller's transaction (or autocommitted on a
 * bare runner): Delivery is a hot table (docs/data-access.md). An internal primitive — the caller
 * has authorized. Campaign deliveries are materialized set-based by dispatch, not row by row here.
 */
export async function insertDelivery(tx: SqlRunner, row: NewDelivery, now: Date): Promise<number> {
  const [inserted] = await tx.query<{ id: number }>(
    `INSERT INTO "Delivery" ("kind", "campaignId", "deviceId", "status", "apnsId", "payload", "attempts", "createdById", "availableAt", "createdAt")
     VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $8) RETURNING "id"`,
    [
      row.kind,
      row.campaignId ?? null,
      row.deviceId,
      row.status,
      row.apnsId,
      row.payload,
      row.createdById ?? null,
      sqlDate(tx.provider, now),
    ],
  );

  return Number(inserted.id);
}
