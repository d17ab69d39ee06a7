import type { DatabaseProvider } from "@/lib/db/config";
import { tokenKey } from "@/lib/devices/token-key";
import { registeredDayOf } from "@/lib/devices/upsert-devices";
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

// How a device's locale is compared: lower case, Apple's "_" read as BCP 47's "-" (the segment's
// values are normalized the same way by audienceSchema).
const DEVICE_LOCALE = `lower(replace(d."locale", '_', '-'))`;
// A device locale's language subtag (what comes before the first "-", "_" or "@"), lower case:
// PostgreSQL's "Device_audience_idx" is built on exactly this expression (the planner matches it
// by its text), so a locale condition reads that index. Every locale the rule matches has the
// value's language, so the condition on it only narrows the rows to check.
const DEVICE_LANGUAGE = `lower(split_part(translate(d."locale", '_@', '--'), '-', 1))`;

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
      const rule = (locales: readonly string[]) => {
        const exact = `${DEVICE_LOCALE} IN (${list(locales)})`;
        const prefixes = locales.flatMap((l) => [
          `${DEVICE_LOCALE} LIKE ${p(`${l}-%`)}`,
          `${DEVICE_LOCALE} LIKE ${p(`${l}@%`)}`,
        ]);

        return [exact, ...prefixes].join(" OR ");
      };
      if (provider === "sqlite") where.push(`(${rule(audience.locales)})`);
      else {
        // PostgreSQL: the language subtag leads (an equality the audience index seeks to, with the
        // recency range after it). For a bare language ("fr") it is the whole rule; longer values
        // ("fr-ca") also take the rule, checked on the index's "locale" column.
        const language = (l: string) => l.split("-")[0];
        const bare = audience.locales.filter((l) => !l.includes("-"));
        const longer = audience.locales.filter((l) => l.includes("-"));
        where.push(`${DEVICE_LANGUAGE} IN (${list([...new Set(audience.locales.map(language))])})`);
        if (longer.length) {
          const anyOf = bare.length ? [`${DEVICE_LANGUAGE} IN (${list(bare)})`] : [];
          where.push(`(${[...anyOf, rule(longer)].join(" OR ")})`);
        }
      }
    }
    if (audience.appVersions) where.push(`d."appVersion" IN (${list(audience.appVersions)})`);
    if (audience.osVersions) where.push(`d."osVersion" IN (${list(audience.osVersions)})`);
    if (audience.timeZones) where.push(`d."timeZone" IN (${list(audience.timeZones)})`);
    if (audience.registeredWithinDays) {
      // Whole UTC days: registered today or on one of the N days before (docs/audiences.md).
      // lastRegisteredAt moves at every refresh, so PostgreSQL cannot index it without losing HOT
      // updates; registeredDay moves once a day.
      const today = registeredDayOf(target.now ?? new Date());
      where.push(`d."registeredDay" >= ${p(today - audience.registeredWithinDays)}`);
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
