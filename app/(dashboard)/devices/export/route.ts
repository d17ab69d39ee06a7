import { z } from "zod";
import { appErrorResponse } from "@/lib/api/problem";
import { runGuarded } from "@/lib/auth/guard";
import { getActor } from "@/lib/auth/session";
import { findDevices } from "@/lib/devices";
import { csvLine, deviceCsvLine, EXPORT_COLUMNS } from "@/lib/devices/devices-csv";
import { PAGE_SIZE_MAX } from "@/lib/validations/device";
import { readQuery, toDeviceSearch } from "../search-params";

export const dynamic = "force-dynamic";

/**
 * GET /devices/export?<the search page's filters> — the whole result as CSV, streamed page by page
 * through findDevices (keyset, 200 rows a query), so a million-row export never sits in memory.
 * Tokens are masked exactly as on screen for roles without devices.reveal-token.
 */
export async function GET(request: Request): Promise<Response> {
  const actor = await getActor();
  const principal = actor ? { kind: "user" as const, ...actor } : null;
  const query = readQuery(new URL(request.url).searchParams);
  const result = await runGuarded(
    principal,
    { permission: "devices.export" },
    z.unknown(),
    null,
    async ({ principal: p }) => {
      const search = { ...toDeviceSearch(query, PAGE_SIZE_MAX), cursor: undefined };
      // Run the first page before answering, so a bad filter is a 422 rather than a broken download.
      let page = await findDevices(p, search);
      const encoder = new TextEncoder();
      let headerSent = false;
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (!headerSent) {
            headerSent = true;
            controller.enqueue(encoder.encode(csvLine(EXPORT_COLUMNS)));
          }
          controller.enqueue(encoder.encode(page.devices.map(deviceCsvLine).join("")));
          if (!page.nextCursor) return controller.close();
          page = await findDevices(p, { ...search, cursor: page.nextCursor });
        },
      });
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");

      return new Response(stream, {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="devices-${stamp}.csv"`,
          "cache-control": "no-store",
        },
      });
    },
  ).catch((error: unknown) => {
    // findDevices parses the filters with zod; a bad filter is the caller's mistake, anything else is ours.
    if (error instanceof z.ZodError)
      return {
        ok: false as const,
        code: "VALIDATION" as const,
        error: error.issues[0]?.message ?? "Invalid filter",
        fieldErrors: undefined,
      };
    throw error;
  });

  return result.ok ? result.data : appErrorResponse(result.code, result.error, result.fieldErrors);
}
