import Database from "better-sqlite3";
import pg from "pg";
import {
  postgresConnection,
  resolveDatabaseConfig,
  type DatabaseConfig,
  type DatabaseProvider,
} from "./config";
import { SQLITE_BUSY_TIMEOUT_MS } from "./client";

/**
 * Raw, set-based SQL for bulk work (registrations in batches, imports, audience materialization,
 * delivery outcomes): the Prisma client layer is 40× slower than the driver for these
 * (stack-notes.md). Write SQL with PostgreSQL's `$1` placeholders; SQLite gets `?1`.
 * Dates are written in the format the Prisma SQLite adapter uses, so both layers read each other.
 */
export type SqlRunner = {
  provider: DatabaseProvider;
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

/** How the Prisma SQLite adapter stores DateTime: ISO 8601 with an explicit +00:00 offset. */
export function sqliteDate(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

/**
 * A DateTime parameter as each database stores it: the Prisma SQLite adapter's ISO text, and for
 * PostgreSQL's `timestamp(3)` (UTC, no zone) an ISO string — pg itself would send a Date in the
 * process's local time. The runners apply it to Date parameters; hot loops encode a date once.
 */
export function sqlDate(provider: DatabaseProvider, date: Date): string {
  return provider === "sqlite" ? sqliteDate(date) : date.toISOString();
}

/** Reads a DateTime column from either database. */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;

  return new Date(typeof value === "number" ? value : String(value));
}

function sqliteParam(value: unknown): unknown {
  if (value instanceof Date) return sqliteDate(value);
  if (typeof value === "boolean") return value ? 1 : 0;

  return value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits for SQLite's write lock without blocking the event loop: better-sqlite3's own busy timeout
 * sleeps inside the call, freezing the whole process (and SQLite's back-off reaches 100 ms steps).
 * Several web processes share one database file, so waiting for the lock is normal.
 */
async function whenNotBusy<T>(step: () => T): Promise<T> {
  const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return step();
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw error;
      await sleep(Math.min(1 + attempt, 5));
    }
  }
}

function createSqliteRunner(file: string): SqlRunner {
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma("journal_mode = WAL");
  } catch (error) {
    // Another process holds a lock while switching: it is switching the file to WAL itself.
    if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
  }
  db.pragma("synchronous = NORMAL");
  // A server's working set: the default 2 MB page cache thrashes on a registry of a million devices.
  db.pragma("cache_size = -65536");
  db.pragma("temp_store = MEMORY");
  db.pragma("wal_autocheckpoint = 10000");
  // After a checkpoint resets the log, shrink its file back: bursts of imports must not leave a
  // gigabyte-sized WAL behind.
  db.pragma("journal_size_limit = 67108864");
  // Several processes write in turn, and a write by another resets this connection's page cache:
  // memory-mapped reads make the re-reads cheap.
  db.pragma("mmap_size = 268435456");
  db.pragma("foreign_keys = ON");
  // better-sqlite3 binds only anonymous `?` positionally, so each `$n` becomes `?` and the
  // parameters are reordered (and repeated) to match, once per distinct SQL text.
  const statements = new Map<string, { statement: Database.Statement; order: number[] }>();
  const prepare = (sql: string) => {
    let prepared = statements.get(sql);
    if (!prepared) {
      const order: number[] = [];
      const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
        order.push(Number(n) - 1);

        return "?";
      });
      prepared = { statement: db.prepare(text), order };
      statements.set(sql, prepared);
    }

    return prepared;
  };
  // Bulk statements bind thousands of parameters while holding the write lock: a plain loop, and
  // the array passed as one argument rather than spread.
  const bind = (order: number[], params: readonly unknown[]) => {
    const args = new Array<unknown>(order.length);
    for (let i = 0; i < order.length; i++) args[i] = sqliteParam(params[order[i]]);

    return args;
  };
  const run = <T>(sql: string, params: readonly unknown[]): T[] => {
    const { statement, order } = prepare(sql);
    const args = bind(order, params);

    return (statement.reader ? statement.all(args) : (statement.run(args), [])) as T[];
  };
  const change = (sql: string, params: readonly unknown[]): number => {
    const { statement, order } = prepare(sql);

    return statement.run(bind(order, params)).changes;
  };
  // One connection serves the whole process. A transaction's statements go through its own `tx`;
  // everyone else waits until no transaction is open, so nothing runs inside another request's
  // transaction, and transactions run one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  let inTransaction = false;
  const outside = async <T>(step: () => T): Promise<T> => {
    while (inTransaction) await queue;

    return whenNotBusy(step);
  };
  const tx: SqlRunner = {
    provider: "sqlite",
    query: async <T>(sql: string, params: readonly unknown[] = []) => run<T>(sql, params),
    execute: async (sql, params = []) => change(sql, params),
    transaction: (work) => work(tx),
    close: async () => {},
  };
  const runner: SqlRunner = {
    provider: "sqlite",
    query: <T>(sql: string, params: readonly unknown[] = []) => outside(() => run<T>(sql, params)),
    execute: (sql, params = []) => outside(() => change(sql, params)),
    transaction<T>(work: (tx: SqlRunner) => Promise<T>) {
      const runTransaction = async () => {
        await whenNotBusy(() => db.exec("BEGIN IMMEDIATE"));
        inTransaction = true;
        try {
          const result = await work(tx);
          db.exec("COMMIT");

          return result;
        } catch (error) {
          if (db.inTransaction) db.exec("ROLLBACK");
          throw error;
        } finally {
          inTransaction = false;
        }
      };
      const result = queue.then(runTransaction, runTransaction);
      queue = result.catch(() => undefined);

      return result;
    },
    async close() {
      db.close();
    },
  };

  return runner;
}

// Prisma stores PostgreSQL DateTime as `timestamp(3)` (no zone) holding UTC; read it as UTC.
const PG_TIMESTAMP = 1114;
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === PG_TIMESTAMP
      ? (value: string) => new Date(`${value.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

function createPostgresRunner(
  config: Extract<DatabaseConfig, { provider: "postgresql" }>,
): SqlRunner {
  const pool = new pg.Pool({
    ...postgresConnection(config),
    max: 10,
    types: pgTypes,
    options: `-c search_path=${config.schema}`,
  });
  // An idle client dropped by the server (restart, admin command) must not crash the process; the
  // pool replaces it on the next query.
  pool.on("error", (error) => console.error("postgresql pool: idle client error:", error.message));
  const pgParams = (params: readonly unknown[]) =>
    params.map((value) => (value instanceof Date ? sqlDate("postgresql", value) : value));
  const fromClient = (
    client: pg.Pool | pg.PoolClient,
  ): Omit<SqlRunner, "transaction" | "close"> => ({
    provider: "postgresql",
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await client.query(sql, pgParams(params))).rows as T[];
    },
    async execute(sql, params = []) {
      return (await client.query(sql, pgParams(params))).rowCount ?? 0;
    },
  });

  return {
    ...fromClient(pool),
    async transaction<T>(work: (tx: SqlRunner) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const tx: SqlRunner = {
          ...fromClient(client),
          transaction: (inner) => inner(tx),
          close: async () => {},
        };
        const result = await work(tx);
        await client.query("COMMIT");

        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

export function createSqlRunner(config: DatabaseConfig): SqlRunner {
  return config.provider === "sqlite"
    ? createSqliteRunner(config.file)
    : createPostgresRunner(config);
}

const globalForSql = globalThis as unknown as { pushdeckSql?: SqlRunner };

/** Closes the process-wide runner (tests, graceful shutdown). */
export async function closeSql(): Promise<void> {
  const runner = globalForSql.pushdeckSql;
  globalForSql.pushdeckSql = undefined;
  await runner?.close();
}

/** The process-wide raw SQL runner for DATABASE_URL. */
export function getSql(): SqlRunner {
  globalForSql.pushdeckSql ??= createSqlRunner(resolveDatabaseConfig());

  return globalForSql.pushdeckSql;
}
