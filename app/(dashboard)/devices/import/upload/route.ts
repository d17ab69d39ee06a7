import { z } from "zod";
import { appErrorResponse, problemResponse } from "@/lib/api/problem";
import { runGuarded } from "@/lib/auth/guard";
import { getActor } from "@/lib/auth/session";
import { importDevicesCsv, type ImportEvent } from "@/lib/devices/import-devices-csv";
import { isAppError } from "@/lib/errors";
import { guardCompleteBody } from "@/lib/http/complete-body";
import { isSameOriginRequest } from "@/lib/http/same-origin";
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
 * real progress. Staff session + devices.import, checked by the same guard as server actions, and
 * only from our own pages (Origin, like server actions; a CSV content type, which a cross-site form
 * cannot send). proxy.ts leaves this route alone so the body streams in whole, whatever its size;
 * should it still arrive cut short, the import ends with an error, never "done".
 */
export async function POST(request: Request): Promise<Response> {
  if (!isSameOriginRequest(request.headers))
    return problemResponse(
      403,
      "Imports are accepted only from Pushdeck's own import page (the Origin header is missing or another site's).",
      { code: "cross-origin" },
    );
  if (!/^text\/csv\b/i.test(request.headers.get("content-type") ?? ""))
    return problemResponse(415, "Send the CSV file as the body with Content-Type: text/csv.");
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
      const upload = guardCompleteBody(request.body, request.headers.get("content-length"));
      const encoder = new TextEncoder();
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          const emit = (event: ImportEvent) =>
            controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
          try {
            const totals = await importDevicesCsv(p, upload.body, input, emit);
            const { complete, received, declared } = upload.result();
            if (complete) emit({ type: "done", ...totals });
            else
              emit({
                type: "error",
                message: `The upload arrived incomplete (${received.toLocaleString("en")} of ${declared?.toLocaleString("en")} bytes): the ${totals.accepted.toLocaleString("en")} rows accepted before the cut were saved, the rest of the file was not imported. Import the file again; rows already saved are refreshed, not duplicated.`,
              });
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
