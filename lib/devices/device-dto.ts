import type { Actor } from "@/lib/access/authorize";
import type { SqlRunner } from "@/lib/db/sql";
import { toDate } from "@/lib/db/sql";
import { toApiEnvironment, type ApiEnvironment } from "@/lib/validations/device";
import { visibleToken } from "./device-access";
import { placeholders } from "./sql-values";

/** What the app states about the device with each registration, besides its token; null when not stated. */
export type DeviceProfile = {
  userId: string | null;
  locale: string | null;
  timeZone: string | null;
  appVersion: string | null;
  osVersion: string | null;
  model: string | null;
};

/** What the API and the device pages show of a device: safe for the caller (tokens masked unless allowed). */
export type DeviceDto = DeviceProfile & {
  id: number;
  app: string;
  appId: string;
  environment: ApiEnvironment;
  token: string;
  tokenMasked: boolean;
  tags: string[];
  attributes: Record<string, unknown> | null;
  status: "active" | "invalid" | "revoked";
  invalidReason: string | null;
  invalidatedAt: string | null;
  firstSeenAt: string;
  lastRegisteredAt: string;
  reactivatedAt: string | null;
  reactivationCount: number;
};

/** Columns every device query selects, joined with App for the bundle id. */
export const DEVICE_COLUMNS = `d."id", d."appId", a."bundleId", d."environment", d."token", d."userId", d."locale", d."timeZone",
  d."appVersion", d."osVersion", d."model", d."attributes", d."status", d."invalidReason", d."invalidatedAt",
  d."firstSeenAt", d."lastRegisteredAt", d."reactivatedAt", d."reactivationCount"`;
export const DEVICE_FROM = `"Device" d JOIN "App" a ON a."id" = d."appId"`;

export type DeviceSqlRow = Record<string, unknown> & { id: number | string };

const iso = (value: unknown) => toDate(value)?.toISOString() ?? null;
const str = (value: unknown) => (value === null || value === undefined ? null : String(value));

function parseAttributes(text: unknown): Record<string, unknown> | null {
  if (typeof text !== "string") return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export function toDeviceDto(row: DeviceSqlRow, tags: string[], actor: Actor): DeviceDto {
  return {
    id: Number(row.id),
    app: String(row.bundleId),
    appId: String(row.appId),
    environment: toApiEnvironment(String(row.environment)),
    ...visibleToken(actor, String(row.token)),
    userId: str(row.userId),
    locale: str(row.locale),
    timeZone: str(row.timeZone),
    appVersion: str(row.appVersion),
    osVersion: str(row.osVersion),
    model: str(row.model),
    tags,
    attributes: parseAttributes(row.attributes),
    status: String(row.status).toLowerCase() as DeviceDto["status"],
    invalidReason: str(row.invalidReason),
    invalidatedAt: iso(row.invalidatedAt),
    firstSeenAt: iso(row.firstSeenAt)!,
    lastRegisteredAt: iso(row.lastRegisteredAt)!,
    reactivatedAt: iso(row.reactivatedAt),
    reactivationCount: Number(row.reactivationCount),
  };
}

/** Tags of a page of devices in one query. */
export async function loadTags(
  sql: SqlRunner,
  deviceIds: readonly number[],
): Promise<Map<number, string[]>> {
  const tags = new Map<number, string[]>();
  if (!deviceIds.length) return tags;
  const rows = await sql.query<{ deviceId: number; tag: string }>(
    `SELECT "deviceId", "tag" FROM "DeviceTag" WHERE "deviceId" IN (${placeholders(deviceIds.length)}) ORDER BY "tag"`,
    deviceIds,
  );
  for (const r of rows) {
    const id = Number(r.deviceId);
    tags.set(id, [...(tags.get(id) ?? []), r.tag]);
  }

  return tags;
}

export async function toDeviceDtos(
  sql: SqlRunner,
  rows: readonly DeviceSqlRow[],
  actor: Actor,
): Promise<DeviceDto[]> {
  const tags = await loadTags(
    sql,
    rows.map((r) => Number(r.id)),
  );

  return rows.map((r) => toDeviceDto(r, tags.get(Number(r.id)) ?? [], actor));
}
