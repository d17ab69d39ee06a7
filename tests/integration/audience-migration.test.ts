import { afterAll, describe, expect, it } from "vitest";
import { applyPendingMigrations } from "@/lib/db/schema-engine";
import { createSqlRunner, type SqlRunner } from "@/lib/db/sql";
import { createEmptyDatabase, testProvider } from "./helpers/test-database";

// The audience migration (Device.registeredDay and, on PostgreSQL, the audience index), run on a
// database populated under the schema before it: every device gets the UTC day of its last
// registration.
const provider = testProvider();
const MIGRATION = "20261202131826_audience_registered_day";
const BEFORE = "20261202124042_campaign_composer";
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const at = (iso: string) => (provider === "sqlite" ? iso.replace("Z", "+00:00") : iso.slice(0, -1));
const REGISTERED = [
  "1970-01-01T00:00:00.000Z",
  "2026-11-27T23:59:59.999Z",
  "2026-11-28T00:00:00.000Z",
  "2026-11-28T13:45:10.123Z",
];

describe(`the audience migration on ${provider}`, () => {
  it("gives every device the UTC day of its last registration", async () => {
    const empty = await createEmptyDatabase();
    cleanups.push(empty.remove);
    await applyPendingMigrations(empty.config, { through: BEFORE });
    let sql: SqlRunner = createSqlRunner(empty.config);
    const t0 = at("2026-11-01T09:00:00.000Z");
    await sql.execute(
      `INSERT INTO "App" ("id", "name", "bundleId", "createdAt", "updatedAt") VALUES ('a1', 'A', 'com.example.a', $1, $1)`,
      [t0],
    );
    for (const [n, iso] of REGISTERED.entries())
      await sql.execute(
        `INSERT INTO "Device" ("appId", "environment", "token", "tokenKey", "locale", "firstSeenAt", "lastRegisteredAt", "updatedAt")
         VALUES ('a1', 'PRODUCTION', $1, $2, 'fr_FR', $3, $4, $3)`,
        [String(n).repeat(64), n, t0, at(iso)],
      );
    await sql.close();

    expect(await applyPendingMigrations(empty.config)).toContain(MIGRATION);
    sql = createSqlRunner(empty.config);
    cleanups.unshift(() => sql.close());
    const rows = await sql.query<{ tokenKey: number | string; registeredDay: number | string }>(
      `SELECT "tokenKey", "registeredDay" FROM "Device" ORDER BY "tokenKey"`,
    );
    expect(rows.map((r) => Number(r.registeredDay))).toEqual(
      REGISTERED.map((iso) => Math.floor(Date.parse(iso) / 86_400_000)),
    );
    expect(rows.map((r) => Number(r.registeredDay))).toEqual([0, 20784, 20785, 20785]);
    if (provider === "postgresql") {
      const [index] = await sql.query<{ indexdef: string }>(
        `SELECT "indexdef" FROM pg_indexes WHERE "indexname" = 'Device_audience_idx'`,
      );
      expect(index?.indexdef).toContain(`INCLUDE (locale, id)`);
    }
  });
});
