import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { postgresConnection, resolveDatabaseConfig, type DatabaseConfig } from "./config";
import { sharedSqliteAdapter } from "./sqlite-adapter";
import { SQLITE_BUSY_TIMEOUT_MS } from "./sqlite-connection";

/**
 * Both generated clients share one model source, so their model APIs are identical; the SQLite
 * client's type stands for either. Provider differences live in lib/db/sql.ts, not in callers.
 */
export type Db = InstanceType<typeof SqliteClient>;

export { SQLITE_BUSY_TIMEOUT_MS };

/**
 * On SQLite the client runs on the process's one connection to the file, shared with the raw SQL
 * runner (lib/db/sqlite-connection.ts), and never blocks the event loop waiting for the write lock;
 * an interactive transaction may wait that long for its turn (maxWait).
 */
export function createPrismaClient(config: DatabaseConfig): Db {
  if (config.provider === "sqlite") {
    return new SqliteClient({
      adapter: sharedSqliteAdapter(config.file),
      transactionOptions: { maxWait: SQLITE_BUSY_TIMEOUT_MS },
    });
  }
  const adapter = new PrismaPg(
    { ...postgresConnection(config), max: 10 },
    { schema: config.schema },
  );

  return new PostgresClient({ adapter }) as unknown as Db;
}

type DbGlobal = { pushdeckDb?: { db: Db; config: DatabaseConfig } };
const globalForDb = globalThis as unknown as DbGlobal;

/** The process-wide client for DATABASE_URL (kept on globalThis so dev reloads reuse it). */
export function getDb(): Db {
  globalForDb.pushdeckDb ??= (() => {
    const config = resolveDatabaseConfig();

    return { db: createPrismaClient(config), config };
  })();

  return globalForDb.pushdeckDb.db;
}

export function getDbConfig(): DatabaseConfig {
  return globalForDb.pushdeckDb?.config ?? resolveDatabaseConfig();
}
