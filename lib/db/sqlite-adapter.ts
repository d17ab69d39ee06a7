import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import type Database from "better-sqlite3";
import { openSqlite, type SqliteConnection } from "./sqlite-connection";

/**
 * Prisma's SQLite access on the process's shared connection (lib/db/sqlite-connection.ts), so that
 * Prisma never blocks the event loop waiting for SQLite's write lock: statements outside a
 * transaction wait their turn and retry SQLITE_BUSY on a timer; transactions begin with BEGIN
 * IMMEDIATE, queued with the raw SQL runner's. Prisma's own better-sqlite3 adapter still turns
 * statements and results into Prisma's values (one source of those rules): it runs here on the
 * shared connection instead of one it would open with a blocking busy timeout.
 */
type Queryable = Pick<SqlDriverAdapter, "queryRaw" | "executeRaw"> & {
  executeScript(script: string): Promise<void>;
};

/**
 * What Prisma's adapter uses of its better-sqlite3 handle: statements read integers as BigInt
 * (the adapter's own handle sets that database-wide; ours is shared with the raw runner, which
 * reads numbers, so it is set per statement).
 */
function prismaHandle(db: Database.Database) {
  return {
    prepare: (sql: string) => db.prepare(sql).safeIntegers(true),
    exec: (sql: string) => db.exec(sql),
    close: () => {},
  };
}

async function prismaQueryable(connection: SqliteConnection): Promise<Queryable> {
  const inner = (await new PrismaBetterSqlite3({ url: ":memory:" }).connect()) as SqlDriverAdapter &
    Queryable & { client: Database.Database };
  const own = inner.client;
  inner.client = prismaHandle(connection.db) as unknown as Database.Database;
  own.close();
  // The adapter's handle is an internal field: if a new version renamed it, every query would go to
  // the in-memory database. Ask the connection which file it is on.
  const probe = await inner.queryRaw({ sql: "PRAGMA database_list", args: [], argTypes: [] });
  const main = probe.rows.find((r) => r[1] === "main");
  if (!main || main[2] !== connection.file)
    throw new Error(
      `Prisma's SQLite adapter did not take the shared connection (it is on "${String(main?.[2])}", not "${connection.file}")`,
    );

  return inner;
}

class SharedSqliteAdapter implements SqlDriverAdapter {
  readonly provider = "sqlite";
  readonly adapterName = "pushdeck-shared-sqlite";

  constructor(
    private readonly connection: SqliteConnection,
    private readonly inner: Queryable,
  ) {}

  queryRaw(query: SqlQuery) {
    return this.connection.outside(() => this.inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery) {
    return this.connection.outside(() => this.inner.executeRaw(query));
  }

  executeScript(script: string) {
    return this.connection.outside(() => this.inner.executeScript(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== "SERIALIZABLE")
      throw new DriverAdapterError({ kind: "InvalidIsolationLevel", level: isolationLevel });
    const end = await this.connection.begin();
    const { inner, connection } = this;
    const exec = (sql: string) => inner.executeRaw({ sql, args: [], argTypes: [] });

    // Prisma sends COMMIT or ROLLBACK itself (usePhantomQuery false), then calls commit()/rollback().
    return {
      provider: "sqlite",
      adapterName: this.adapterName,
      options: { usePhantomQuery: false },
      queryRaw: (query) => inner.queryRaw(query),
      executeRaw: (query) => inner.executeRaw(query),
      async commit() {
        if (connection.db.inTransaction) connection.db.exec("COMMIT");
        end();
      },
      async rollback() {
        end();
      },
      createSavepoint: async (name) => void (await exec(`SAVEPOINT ${name}`)),
      rollbackToSavepoint: async (name) => void (await exec(`ROLLBACK TO ${name}`)),
      releaseSavepoint: async (name) => void (await exec(`RELEASE SAVEPOINT ${name}`)),
    };
  }

  async dispose(): Promise<void> {
    this.connection.release();
  }
}

/** The adapter factory for `new PrismaClient({ adapter })` on a SQLite file. */
export function sharedSqliteAdapter(file: string): SqlDriverAdapterFactory {
  return {
    provider: "sqlite",
    adapterName: "pushdeck-shared-sqlite",
    async connect() {
      const connection = openSqlite(file);
      try {
        return new SharedSqliteAdapter(connection, await prismaQueryable(connection));
      } catch (error) {
        connection.release();
        throw error;
      }
    },
  };
}
