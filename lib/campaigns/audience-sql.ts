import type { DatabaseProvider } from "@/lib/db/config";
import { tokenKey } from "@/lib/devices/token-key";
import type { DbEnvironment } from "@/lib/validations/device";
import { isAllAudience, type Audience } from "./audience-schema";

/**
 * The one SQL meaning of an audience (docs/audiences.md): the count the composer shows, the ids
 * tests compare and the dispatcher's INSERT … SELECT all read this fragment, so they cannot
 * disagree. It selects the ACTIVE devices of one app and environment that match every condition
 * of the segment. Placeholders are PostgreSQL's `$n` (the SQL runner rewrites them for SQLite),
 * numbered from `firstParam` so a caller can put its own parameters first.
 */
export type AudienceTarget = {
  appId: string;
  environment: DbEnvironment;
  audience: Audience;
  /** The clock for registeredWithinDays (tests and a scheduled dispatch pass their own). */
  now?: Date;
};

/** `SELECT … FROM ${from} WHERE ${where}`; the device table is aliased `d`. */
export type AudienceQuery = { from: string; where: string; params: unknown[] };

const DAY_MS = 86_400_000;

// How a device's locale is compared: lower case, Apple's "_" read as BCP 47's "-" (the segment's
// values are normalized the same way by audienceSchema).
const DEVICE_LOCALE = `lower(replace(d."locale", '_', '-'))`;

export function audienceQuery(
  provider: DatabaseProvider,
  target: AudienceTarget,
  { firstParam = 1 }: { firstParam?: number } = {},
): AudienceQuery {
  const params: unknown[] = [];
  const p = (value: unknown) => `$${firstParam - 1 + params.push(value)}`;
  const list = (values: readonly unknown[]) => values.map(p).join(", ");
  // Pasted user ids and tokens (up to 100,000) travel as ONE JSON parameter: a placeholder each
  // would pass SQLite's 32,766 and PostgreSQL's 65,535 parameters per statement.
  const jsonList = (values: readonly unknown[], type: "text" | "bigint" = "text") => {
    const param = p(JSON.stringify(values));

    return provider === "sqlite"
      ? `SELECT "value" FROM json_each(${param})`
      : `SELECT ("value")::${type} FROM jsonb_array_elements_text(${param}::jsonb) AS j("value")`;
  };
  const tagged = (tags: readonly string[]) =>
    `SELECT "deviceId" FROM "DeviceTag" WHERE "tag" IN (${list(tags)})`;

  const where = [`d."appId" = ${p(target.appId)}`, `d."environment" = ${p(target.environment)}`];
  where.push(`d."status" = 'ACTIVE'`);
  const { audience } = target;
  if (!isAllAudience(audience)) {
    const { tags } = audience;
    if (tags?.any) where.push(`d."id" IN (${tagged(tags.any)})`);
    for (const tag of tags?.all ?? []) where.push(`d."id" IN (${tagged([tag])})`);
    if (tags?.none)
      where.push(
        `NOT EXISTS (SELECT 1 FROM "DeviceTag" n WHERE n."deviceId" = d."id" AND n."tag" IN (${list(tags.none)}))`,
      );
    if (audience.locales) {
      // "fr" matches "fr", "fr-CA" and "fr_FR"; "fr-CA" matches "fr-CA" (and "fr-CA-…",
      // "fr_CA@calendar=…"), not "fr". Values are letters, digits and "-" only (audienceSchema), so
      // LIKE sees no wildcard but ours.
      const exact = `${DEVICE_LOCALE} IN (${list(audience.locales)})`;
      const prefixes = audience.locales.flatMap((l) => [
        `${DEVICE_LOCALE} LIKE ${p(`${l}-%`)}`,
        `${DEVICE_LOCALE} LIKE ${p(`${l}@%`)}`,
      ]);
      where.push(`(${[exact, ...prefixes].join(" OR ")})`);
    }
    if (audience.appVersions) where.push(`d."appVersion" IN (${list(audience.appVersions)})`);
    if (audience.osVersions) where.push(`d."osVersion" IN (${list(audience.osVersions)})`);
    if (audience.timeZones) where.push(`d."timeZone" IN (${list(audience.timeZones)})`);
    if (audience.registeredWithinDays) {
      const now = target.now ?? new Date();
      const since = new Date(now.getTime() - audience.registeredWithinDays * DAY_MS);
      where.push(`d."lastRegisteredAt" >= ${p(since)}`);
    }
    if (audience.userIds) where.push(`d."userId" IN (${jsonList(audience.userIds)})`);
    if (audience.tokens) {
      // The narrow tokenKey index finds the candidates (lib/devices/token-key.ts); the token
      // itself decides.
      const keys = [...new Set(audience.tokens.map(tokenKey))];
      where.push(`d."tokenKey" IN (${jsonList(keys, "bigint")})`);
      where.push(`d."token" IN (${jsonList(audience.tokens)})`);
    }
  }

  return { from: `"Device" d`, where: where.join(" AND "), params };
}
