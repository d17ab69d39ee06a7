import { Readable } from "node:stream";
import { parse } from "csv-parse";
import type { Principal } from "@/lib/auth/guard";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { assertAllowed } from "./device-access";
import { recordToRegistration } from "./devices-csv";
import { registerDevices } from "./register-devices";

export const IMPORT_BATCH_SIZE = 2_000;
export type ImportReject = { row: number; token: string; reasons: string[] };
export type ImportProgress = {
  processed: number;
  accepted: number;
  rejected: number;
  bytes: number;
};
export type ImportEvent =
  | ({ type: "progress" } & ImportProgress)
  | { type: "rejects"; rejects: ImportReject[] }
  | ({ type: "done" } & ImportProgress)
  | { type: "error"; message: string };

/**
 * Streams a CSV of devices into the registry: parsed as it arrives, registered in batches of
 * 2,000 through registerDevices (the API's path: same validation, upsert, audit), so memory stays
 * flat whatever the file size. Emits progress after each batch and the batch's rejects with their
 * line numbers, for the import page's progress bar and rejects download.
 */
export async function importDevicesCsv(
  principal: Principal,
  body: ReadableStream<Uint8Array>,
  defaults: { app?: string; environment?: string },
  emit: (event: ImportEvent) => void,
): Promise<ImportProgress> {
  assertAllowed(principal, "devices.import", "admin");
  const parser = Readable.fromWeb(
    body as import("node:stream/web").ReadableStream<Uint8Array>,
  ).pipe(
    parse({
      columns: (header: string[]) => header.map((h) => h.trim()),
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }),
  );
  const totals: ImportProgress = { processed: 0, accepted: 0, rejected: 0, bytes: 0 };
  let batch: { line: number; item: Record<string, unknown> }[] = [];
  let rejects: ImportReject[] = [];

  const flush = async () => {
    if (batch.length) {
      const { results } = await registerDevices(
        principal,
        batch.map((b) => b.item),
      );
      for (const r of results) {
        if (r.status !== 422) totals.accepted++;
        else
          rejects.push({
            row: batch[r.index].line,
            token: r.token ?? String(batch[r.index].item.token ?? ""),
            reasons: r.errors.map((e) => `${e.field}: ${e.message}`),
          });
      }
      totals.processed += batch.length;
      batch = [];
    }
    totals.rejected = totals.processed - totals.accepted;
    if (rejects.length) emit({ type: "rejects", rejects });
    rejects = [];
    emit({ type: "progress", ...totals, bytes: parser.info.bytes });
  };

  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      const { item, error } = recordToRegistration(record, defaults);
      if (error) {
        totals.processed++;
        rejects.push({
          row: info.lines,
          token: String(item.token ?? record.token ?? ""),
          reasons: [error],
        });
      } else batch.push({ line: info.lines, item });
      if (batch.length >= IMPORT_BATCH_SIZE) await flush();
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("VALIDATION", `The file is not valid CSV: ${(error as Error).message}`);
  }
  await flush();
  const done = { ...totals, bytes: parser.info.bytes };
  const actor =
    principal.kind === "user"
      ? { type: "USER" as const, id: principal.id, label: principal.email }
      : { type: "API_KEY" as const, id: principal.id, label: principal.name };
  await recordAudit(getDb(), {
    actor,
    action: "device.import",
    targetType: "device",
    success: true,
    detail: { processed: done.processed, accepted: done.accepted, rejected: done.rejected },
  });

  return done;
}
