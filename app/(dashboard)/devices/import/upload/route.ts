import { z } from "zod";
import { appErrorResponse } from "@/lib/api/problem";
import { runGuarded } from "@/lib/auth/guard";
import { getActor } from "@/lib/auth/session";
import { importDevicesCsv, type ImportEvent } from "@/lib/devices/import-devices-csv";
import { isAppError } from "@/lib/errors";
import { bundleIdSchema, environmentSchema } from "@/lib/validations/device";

// Long imports must not be cut by a default function timeout, nor cached.
export const dynamic = "force-dynamic";
export const maxDuration = 3600;

const querySchema = z.strictObject({
  app: bundleIdSchema.optional(),
  environment: environmentSchema.optional(),
});

/**
 * POST /devices/import/upload — the body is the CSV file itself, read as a stream. The answer is
 * NDJSON, one event per line as batches are written (progress, rejects, done), so the page can show
 * real progress. Staff session + devices.import, checked by the same guard as server actions.
 */
export async function POST(request: Request): Promise<Response> {
  const actor = await getActor();
  const principal = actor ? { kind: "user" as const, ...actor } : null;
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const result = await runGuarded(
    principal,
    { permission: "devices.import" },
    querySchema,
    query,
    async ({ principal: p, input }) => {
      if (!request.body)
        return appErrorResponse("VALIDATION", "Send the CSV file as the request body.");
      const body = request.body;
      const encoder = new TextEncoder();
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          const emit = (event: ImportEvent) =>
            controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
          try {
            const totals = await importDevicesCsv(p, body, input, emit);
            emit({ type: "done", ...totals });
          } catch (error) {
            if (!isAppError(error)) console.error("device import failed", error);
            emit({
              type: "error",
              message: isAppError(error)
                ? error.message
                : "The import stopped on a server error; rows before it were saved.",
            });
          }
          controller.close();
        },
      });

      return new Response(stream, {
        headers: {
          "content-type": "application/x-ndjson; charset=utf-8",
          "cache-control": "no-store",
          "x-accel-buffering": "no",
        },
      });
    },
  );

  return result.ok ? result.data : appErrorResponse(result.code, result.error, result.fieldErrors);
}
