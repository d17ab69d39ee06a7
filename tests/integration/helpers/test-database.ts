import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createPrismaClient, type Db } from "@/lib/db/client";
import type { DatabaseConfig, DatabaseProvider } from "@/lib/db/config";
import { applyPendingMigrations } from "@/lib/db/schema-engine";
import { createSqlRunner, type SqlRunner } from "@/lib/db/sql";

/** The database the current Vitest project tests (PUSHDECK_TEST_DB, set in vitest.config.ts). */
export function testProvider(): DatabaseProvider {
  return process.env.PUSHDECK_TEST_DB === "postgresql" ? "postgresql" : "sqlite";
}

const PG = {
  host: process.env.PGHOST || "127.0.0.1",
  port: Number(process.env.PGPORT || 5432),
  user: process.env.PGUSER || "postgres",
  password: process.env.PGPASSWORD || "",
};

async function adminQuery(sql: string) {
  const client = new pg.Client({ ...PG, database: "postgres" });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export type TestDatabase = {
  config: DatabaseConfig;
  db: Db;
  sql: SqlRunner;
  /** Disconnects and deletes the database (SQLite file or PostgreSQL database). */
  drop(): Promise<void>;
};

/** An empty database of its own (no migrations applied): a temp SQLite file or a fresh PostgreSQL database. */
export async function createEmptyDatabase(
  provider = testProvider(),
): Promise<{ config: DatabaseConfig; remove(): Promise<void> }> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "pushdeck-test-"));
    const file = path.join(dir, "test.db");

    return {
      config: { provider, file, url: `file:${file}` },
      remove: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const database = `pushdeck_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${database}"`);
  const url = `postgresql://${PG.user}@${PG.host}:${PG.port}/${database}`;

  return {
    config: { provider, url, ...PG, database, schema: "public" },
    remove: () => adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
  };
}

/** A migrated database with a Prisma client and a raw SQL runner on it. */
export async function createTestDatabase(provider = testProvider()): Promise<TestDatabase> {
  const empty = await createEmptyDatabase(provider);
  await applyPendingMigrations(empty.config);
  const db = createPrismaClient(empty.config);
  const sql = createSqlRunner(empty.config);

  return {
    config: empty.config,
    db,
    sql,
    async drop() {
      await db.$disconnect();
      await sql.close();
      await empty.remove();
    },
  };
}
