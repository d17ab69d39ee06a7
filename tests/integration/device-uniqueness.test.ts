import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { applyPendingMigrations, HAND_WRITTEN } from "@/lib/db/schema-engine";
import { createSqlRunner, type SqlRunner } from "@/lib/db/sql";
import { tokenKey } from "@/lib/devices/token-key";
import { createEmptyDatabase, testProvider } from "./helpers/test-database";

// One row per (app, environment, token) is enforced by the database itself, not by the models
// (prisma/models.prisma): a unique index on PostgreSQL, triggers over tokenKey on SQLite.
const provider = testProvider();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function migratedDatabase(through?: string) {
  const empty = await createEmptyDatabase();
  cleanups.push(empty.remove);
  await applyPendingMigrations(empty.config, { through });
  let sql = createSqlRunner(empty.config);
  cleanups.unshift(() => sql.close());

  return {
    sql: () => sql,
    /** The remaining migrations; the schema engine wants SQLite to itself meanwhile. */
    async finish() {
      await sql.close();
      const applied = await applyPendingMigrations(empty.config);
      sql = createSqlRunner(empty.config);

      return applied;
    },
  };
}

const now = provider === "sqlite" ? "2026-11-28T00:00:00.000+00:00" : "2026-11-28T00:00:00.000";
const newToken = () => randomBytes(32).toString("hex");

async function addApp(sql: SqlRunner, id: string) {
  await sql.execute(
    `INSERT INTO "App" ("id", "name", "bundleId", "defaultEnvironment", "createdAt", "updatedAt") VALUES ($1, $1, $2, 'PRODUCTION', $3, $3)`,
    [id, `com.example.${id}`, now],
  );
}

const insertDevice = (sql: SqlRunner, appId: string, environment: string, token: string) =>
  sql.execute(
    `INSERT INTO "Device" ("appId", "environment", "token", "tokenKey", "status", "firstSeenAt", "lastRegisteredAt", "updatedAt")
     VALUES ($1, $2, $3, $4, 'ACTIVE', $5, $5, $5)`,
    [appId, environment, token, tokenKey(token), now],
  );

const DUPLICATE =
  /UNIQUE constraint failed: Device\.appId, Device\.environment, Device\.token|duplicate key value violates unique constraint "Device_token_appId_environment_key"/;

describe(`one device per (app, environment, token) on ${provider}`, () => {
  it("has the hand-written objects that enforce it", async () => {
    const sql = (await migratedDatabase()).sql();
    if (provider === "sqlite") {
      const triggers = await sql.query<{ name: string }>(
        `SELECT "name" FROM sqlite_master WHERE "type" = 'trigger' ORDER BY "name"`,
      );
      expect(triggers.map((t) => t.name)).toEqual(HAND_WRITTEN.sqlite.triggers.map((t) => t.name));
    } else {
      const indexes = await sql.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE indexname = ANY($1::text[]) ORDER BY indexname DESC`,
        [HAND_WRITTEN.postgresql.indexes],
      );
      expect(indexes.map((i) => i.indexdef)).toEqual([
        expect.stringMatching(/^CREATE UNIQUE INDEX .* \(token, "appId", environment\)$/),
        // The audience count's index (docs/audiences.md), not a uniqueness object.
        expect.stringMatching(/^CREATE INDEX "Device_audience_idx" .* INCLUDE \(locale, id\)$/),
      ]);
    }
  });

  it("refuses a second row for the same key, from any writer, and allows it in another app or environment", async () => {
    const sql = (await migratedDatabase()).sql();
    await addApp(sql, "a");
    await addApp(sql, "b");
    const token = newToken();
    await insertDevice(sql, "a", "PRODUCTION", token);
    await expect(insertDevice(sql, "a", "PRODUCTION", token)).rejects.toThrow(DUPLICATE);
    await insertDevice(sql, "a", "SANDBOX", token);
    await insertDevice(sql, "b", "PRODUCTION", token);
    // Another token with the same tokenKey is a different device.
    const sibling = token.slice(0, 13) + newToken().slice(13);
    await insertDevice(sql, "a", "PRODUCTION", sibling);
    // Moving a row onto an existing key is refused as well.
    await expect(
      sql.execute(
        `UPDATE "Device" SET "environment" = 'PRODUCTION' WHERE "appId" = 'a' AND "environment" = 'SANDBOX'`,
      ),
    ).rejects.toThrow(DUPLICATE);
    const [{ n }] = await sql.query<{ n: number }>(`SELECT count(*) AS "n" FROM "Device"`);
    expect(Number(n)).toBe(4);
  });

  it("the migration computes tokenKey for devices registered before it, as the application does", async () => {
    const database = await migratedDatabase("20261128185637_device_token_first_index");
    const sql = database.sql();
    await addApp(sql, "a");
    const tokens = [
      "0".repeat(64),
      "f".repeat(200),
      "0123456789ABCDEF".repeat(4),
      ...Array.from({ length: 50 }, newToken),
    ];
    for (const token of tokens)
      await sql.execute(
        `INSERT INTO "Device" ("appId", "environment", "token", "status", "firstSeenAt", "lastRegisteredAt", "updatedAt")
         VALUES ('a', 'PRODUCTION', $1, 'ACTIVE', $2, $2, $2)`,
        [token, now],
      );
    expect(await database.finish()).toContain("20261128230851_device_token_key");
    const rows = await database
      .sql()
      .query<{ token: string; tokenKey: number | string }>(
        `SELECT "token", "tokenKey" FROM "Device"`,
      );
    expect(rows).toHaveLength(tokens.length);
    for (const row of rows) expect(Number(row.tokenKey)).toBe(tokenKey(row.token.toLowerCase()));
  });
});
