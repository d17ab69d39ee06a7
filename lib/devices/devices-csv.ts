import type { DeviceDto } from "./device-dto";

/**
 * The CSV shape of the registry, shared by import and export so that an exported file can be
 * imported again (import ignores the read-only columns such as status and the dates).
 */
export const IMPORT_COLUMNS = [
  "app",
  "token",
  "environment",
  "userId",
  "locale",
  "timeZone",
  "appVersion",
  "osVersion",
  "model",
  "tags",
  "attributes",
] as const;
export const EXPORT_COLUMNS = [
  ...IMPORT_COLUMNS,
  "status",
  "invalidReason",
  "firstSeenAt",
  "lastRegisteredAt",
] as const;

/** Tags in one cell: separated by ";" (commas would need quoting in every row). */
export const TAG_SEPARATOR = ";";

// RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets don't run it as a
// formula (CSV injection: user ids and tags come from app backends, not from us).
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text =
    typeof value === "string"
      ? value
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;

  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/**
 * The rejects file of an import (built in the browser): row = line in the original file. Its cells
 * come from the uploaded file, so they are neutralised like the export's.
 */
export function rejectsCsv(rejects: readonly { row: number; token: string; reasons: string[] }[]) {
  return [
    csvLine(["row", "token", "reasons"]),
    ...rejects.map((r) => csvLine([String(r.row), r.token, r.reasons.join("; ")])),
  ].join("");
}

export function deviceCsvLine(d: DeviceDto): string {
  return csvLine([
    d.app,
    d.token,
    d.environment,
    d.userId,
    d.locale,
    d.timeZone,
    d.appVersion,
    d.osVersion,
    d.model,
    d.tags.join(TAG_SEPARATOR),
    d.attributes,
    d.status,
    d.invalidReason,
    d.firstSeenAt,
    d.lastRegisteredAt,
  ]);
}

/** One CSV record (header → cell) as a registration for registerDevices; empty cells are omitted. */
export function recordToRegistration(
  record: Record<string, string>,
  defaults: { app?: string; environment?: string },
): { item: Record<string, unknown>; error?: string } {
  const item: Record<string, unknown> = {};
  for (const column of IMPORT_COLUMNS) {
    const value = record[column]?.trim();
    if (!value) continue;
    if (column === "tags")
      item.tags = value
        .split(TAG_SEPARATOR)
        .map((t) => t.trim())
        .filter(Boolean);
    else if (column === "attributes") {
      try {
        item.attributes = JSON.parse(value);
      } catch {
        return { item, error: "attributes: not valid JSON" };
      }
    } else item[column] = value;
  }
  if (!item.app && defaults.app) item.app = defaults.app;
  if (!item.environment && defaults.environment) item.environment = defaults.environment;

  return { item };
}
