import { rejectsCsv } from "@/lib/devices/devices-csv";
import type { ImportEvent, ImportReject } from "@/lib/devices/import-devices-csv";

export type ImportState = {
  phase: "idle" | "running" | "done" | "error";
  processed: number;
  accepted: number;
  rejected: number;
  percent: number;
  rejects: ImportReject[];
  error?: string;
};

// A file with millions of bad rows should not fill the tab's memory; the counts stay exact.
const REJECTS_KEPT = 100_000;

/**
 * Sends the file as the request body (the browser streams it from disk) and reads the server's
 * NDJSON events as they arrive. Progress is bytes parsed / file size, so it moves with the work
 * actually done, not with the upload.
 */
export async function runImport(
  file: File,
  defaults: { app: string; environment: string },
  onState: (s: ImportState) => void,
): Promise<ImportState> {
  let state: ImportState = {
    phase: "running",
    processed: 0,
    accepted: 0,
    rejected: 0,
    percent: 0,
    rejects: [],
  };
  const set = (next: Partial<ImportState>) => onState((state = { ...state, ...next }));
  set({});
  const params = new URLSearchParams(Object.entries(defaults).filter(([, v]) => v));
  const response = await fetch(`/devices/import/upload?${params}`, {
    method: "POST",
    body: file,
    headers: { "content-type": "text/csv" },
  }).catch(() => null);
  if (!response || !response.ok || !response.body) {
    const problem = response ? await response.json().catch(() => null) : null;
    set({
      phase: "error",
      error: problem?.detail ?? "The upload failed. Check your connection and try again.",
    });

    return state;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines.filter(Boolean)) {
      const event = JSON.parse(line) as ImportEvent;
      if (event.type === "rejects")
        set({ rejects: [...state.rejects, ...event.rejects].slice(0, REJECTS_KEPT) });
      else if (event.type === "error") set({ phase: "error", error: event.message });
      else {
        const percent =
          event.type === "done"
            ? 100
            : Math.min(99, Math.floor((event.bytes / Math.max(file.size, 1)) * 100));
        set({
          phase: event.type === "done" ? "done" : "running",
          processed: event.processed,
          accepted: event.accepted,
          rejected: event.rejected,
          percent,
        });
      }
    }
  }
  if (state.phase === "running")
    set({
      phase: "error",
      error: "The connection closed before the import finished; rows written so far were kept.",
    });

  return state;
}

/** The rejected rows as a CSV the admin can fix and import again (lib/devices/devices-csv.ts). */
export function downloadRejects(rejects: ImportReject[]) {
  const url = URL.createObjectURL(new Blob([rejectsCsv(rejects)], { type: "text/csv" }));
  const a = Object.assign(document.createElement("a"), {
    href: url,
    download: "import-rejects.csv",
  });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
