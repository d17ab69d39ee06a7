import { authorize, type Actor } from "@/lib/access/authorize";
import { getDb, type Db } from "@/lib/db/client";
import { getSql, type SqlRunner } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { toDbEnvironment, type ApiEnvironment } from "@/lib/validations/device";
import { DEVICES_READ, restrictedAppId } from "./device-access";
import {
  DEVICE_COLUMNS,
  DEVICE_FROM,
  toDeviceDtos,
  type DeviceDto,
  type DeviceSqlRow,
} from "./device-dto";
import { tokenKey } from "./token-key";

export type DeviceEventDto = {
  id: number;
  kind: string;
  at: string;
  detail: Record<string, unknown> | null;
};
export type DeviceDetail = { device: DeviceDto; events: DeviceEventDto[] };

const HISTORY_LIMIT = 100;

async function selectDevices(
  sql: SqlRunner,
  actor: Actor,
  where: string,
  params: unknown[],
): Promise<DeviceSqlRow[]> {
  const only = restrictedAppId(actor);
  const clause = only ? `${where} AND d."appId" = $${params.length + 1}` : where;

  return sql.query<DeviceSqlRow>(
    `SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM} WHERE ${clause} ORDER BY d."lastRegisteredAt" DESC LIMIT 2`,
    only ? [...params, only] : params,
  );
}

/** The API's device address: a token in an app (by bundle id), optionally in one environment. */
export type TokenLookup = { app: string; token: string; environment?: ApiEnvironment };

/** The WHERE clause (over DEVICE_FROM) of a TokenLookup, through the tokenKey index. */
export function tokenInApp(lookup: TokenLookup): { where: string; params: unknown[] } {
  const params: unknown[] = [tokenKey(lookup.token), lookup.token, lookup.app];
  let where = `d."tokenKey" = $1 AND d."token" = $2 AND a."bundleId" = $3`;
  if (lookup.environment)
    where += ` AND d."environment" = $${params.push(toDbEnvironment(lookup.environment))}`;

  return { where, params };
}

/**
 * The device with this token in an app (by bundle id), as the API's GET /devices/{token} returns it.
 * Without an environment, the most recently registered of the app's environments wins.
 */
export async function getDeviceByToken(
  actor: Actor,
  lookup: TokenLookup,
  options: { sql?: SqlRunner } = {},
): Promise<DeviceDto> {
  authorize(actor, DEVICES_READ);
  const sql = options.sql ?? getSql();
  const { where, params } = tokenInApp(lookup);
  const [row] = await selectDevices(sql, actor, where, params);
  if (!row)
    throw new AppError(
      "NOT_FOUND",
      `No device with this token is registered for app "${lookup.app}"${lookup.environment ? ` (${lookup.environment})` : ""}.`,
    );

  return (await toDeviceDtos(sql, [row], actor))[0];
}

/** Device page: the device and its registration history (state changes, newest first). */
export async function getDeviceDetail(
  actor: Actor,
  deviceId: number,
  options: { sql?: SqlRunner; db?: Db } = {},
): Promise<DeviceDetail> {
  authorize(actor, DEVICES_READ);
  const sql = options.sql ?? getSql();
  const [row] = await selectDevices(sql, actor, `d."id" = $1`, [deviceId]);
  if (!row) throw new AppError("NOT_FOUND", `Device ${deviceId} does not exist.`);
  const events = await (options.db ?? getDb()).deviceEvent.findMany({
    where: { deviceId },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: HISTORY_LIMIT,
  });

  return {
    device: (await toDeviceDtos(sql, [row], actor))[0],
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      at: e.at.toISOString(),
      detail: e.detail ? safeJson(e.detail) : null,
    })),
  };
}

function safeJson(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { text };
  }
}

/** Internal lookup for mutations: the row id if the caller may reach it. */
export async function requireDevice(
  sql: SqlRunner,
  actor: Actor,
  where: string,
  params: unknown[],
  notFound: string,
): Promise<DeviceSqlRow> {
  const [row] = await selectDevices(sql, actor, where, params);
  if (!row) throw new AppError("NOT_FOUND", notFound);

  return row;
}
