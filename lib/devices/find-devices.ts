import { authorize, type Actor } from "@/lib/access/authorize";
import { getSql, type SqlRunner } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { deviceSearchSchema, toDbEnvironment, type DeviceSearch } from "@/lib/validations/device";
import { DEVICES_READ, restrictedAppId } from "./device-access";
import {
  DEVICE_COLUMNS,
  DEVICE_FROM,
  toDeviceDtos,
  type DeviceDto,
  type DeviceSqlRow,
} from "./device-dto";
import { tokenKey, tokenKeyRange } from "./token-key";

export type DevicePage = { devices: DeviceDto[]; nextCursor: string | null };

// 'g' sorts after every hex digit, so [p, p||'g') holds exactly the tokens starting with p. The
// tokenKey range narrows the search to the index (lib/devices/token-key.ts); the token range is
// exact past its 13 digits.
const PREFIX_END = "g";

/**
 * Searches the registry: by user id, token (full or prefix), tag, app, environment and status.
 * Keyset pagination that stays fast at millions of rows: token searches page in token order
 * (cursor "t:<id>", see `order`), the others newest first (cursor "i:<id>"). Tokens are masked
 * for callers without `devices.reveal-token`; app-restricted API keys see only their app.
 */
export async function findDevices(
  actor: Actor,
  search: DeviceSearch,
  options: { sql?: SqlRunner } = {},
): Promise<DevicePage> {
  authorize(actor, DEVICES_READ);
  const sql = options.sql ?? getSql();
  const q = deviceSearchSchema.parse(search);
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause.replace(/\?/g, () => `$${params.push(values.shift())}`));
  };
  const only = restrictedAppId(actor);
  if (only) add(`d."appId" = ?`, only);
  if (q.appId) add(`d."appId" = ?`, q.appId);
  if (q.app) add(`a."bundleId" = ?`, q.app);
  if (q.environment) add(`d."environment" = ?`, toDbEnvironment(q.environment));
  if (q.status) add(`d."status" = ?`, q.status.toUpperCase());
  if (q.userId) add(`d."userId" = ?`, q.userId);
  if (q.token) add(`d."tokenKey" = ? AND d."token" = ?`, tokenKey(q.token), q.token);
  if (q.tokenPrefix) {
    const keys = tokenKeyRange(q.tokenPrefix);
    add(`d."tokenKey" BETWEEN ? AND ?`, keys.from, keys.to);
    add(`d."token" >= ? AND d."token" < ?`, q.tokenPrefix, q.tokenPrefix + PREFIX_END);
  }
  const byToken = Boolean(q.token || q.tokenPrefix);
  // With a tag, the (tag, deviceId) index gives the rows already in id order.
  const from = q.tag ? `${DEVICE_FROM} JOIN "DeviceTag" t ON t."deviceId" = d."id"` : DEVICE_FROM;
  if (q.tag) add(`t."tag" = ?`, q.tag);
  const idColumn = q.tag ? `t."deviceId"` : `d."id"`;
  if (q.cursor) {
    const [kind, value] = [q.cursor.slice(0, 2), q.cursor.slice(2)];
    if (!/^\d{1,15}$/.test(value) || kind !== (byToken ? "t:" : "i:"))
      throw new AppError("VALIDATION", "cursor is not one this search returned", {
        cursor: ["Use nextCursor from the previous page"],
      });
    // A token cursor names the last device, not its token: masked callers get cursors too.
    if (byToken)
      add(
        `(d."tokenKey", d."id") > ((SELECT "tokenKey" FROM "Device" WHERE "id" = ?), ?)`,
        Number(value),
        Number(value),
      );
    else add(`${idColumn} < ?`, Number(value));
  }
  // Token order as the tokenKey index holds it, (tokenKey, id): no sort, however many rows match.
  // Tokens that share their first 13 digits (rare) come in id order.
  const order = byToken ? `d."tokenKey" ASC, d."id" ASC` : `${idColumn} DESC`;
  const rows = await sql.query<DeviceSqlRow>(
    `SELECT ${DEVICE_COLUMNS} FROM ${from} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ${order} LIMIT ${q.limit + 1}`,
    params,
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > q.limit && last ? `${byToken ? "t:" : "i:"}${Number(last.id)}` : null;

  return { devices: await toDeviceDtos(sql, page, actor), nextCursor };
}
