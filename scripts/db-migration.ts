// `npm run db:migration -- <name>`: writes the next migration for SQLite and PostgreSQL from the
// difference between the committed migrations and prisma/models.prisma (development time only).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createMigration, migrationStamp } from "@/lib/db/schema-engine";

const name = process.argv[2];
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(2);
}
// One timestamp for both providers, so their migration folders pair up by name.
const stamp = migrationStamp();
const dir = mkdtempSync(path.join(tmpdir(), "pushdeck-migration-"));
const file = path.join(dir, "scratch.db");
console.log(
  "sqlite:",
  (await createMigration({ provider: "sqlite", file, url: `file:${file}` }, name, stamp)) ??
    "no changes",
);
rmSync(dir, { recursive: true, force: true });

const database = `pushdeck_migration_${Date.now()}`;
const admin = {
  host: process.env.PGHOST || "127.0.0.1",
  port: Number(process.env.PGPORT || 5432),
  user: process.env.PGUSER || "postgres",
  password: process.env.PGPASSWORD || "",
};
const client = new pg.Client({ ...admin, database: "postgres" });
await client.connect();
await client.query(`CREATE DATABASE "${database}"`);
try {
  const config = { provider: "postgresql" as const, url: "", ...admin, database, schema: "public" };
  console.log("postgresql:", (await createMigration(config, name, stamp)) ?? "no changes");
} finally {
  await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await client.end();
  process.exit(0);
}
