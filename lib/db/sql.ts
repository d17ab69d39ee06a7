import type Database from "better-sqlite3";
import pg from "pg";
import {
  postgresConnection,
  resolveDatabaseConfig,
  type DatabaseConfig,
  type DatabaseProvider,
} from "./config";
import { openSqlite } from "./sqlite-connection";

/**
 * Raw, set-based SQL for bulk work (registrations in batches, imports, audience materialization,
 * delivery outcomes): the Prisma client layer is 40× slower than the driver for these
 * (docs/platform-notes.md). Write SQL with PostgreSQL's `$1` placeholders; SQLite gets `?1`.
 * Dates are written in the format the Prisma SQLite adapter uses, so both layers read each other.
 */
export type SqlRunner = {
  provider: DatabaseProvider;
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  transaction<T>(work: (tx: SqlRunner) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
};

export type TransactionOptions = {
  /**
   * PostgreSQL: COMMIT returns without waiting for the WAL flush (`synchronous_commit = off`). A
   * crash of the database server may lose the last fraction of a second of such transactions,
   * never corrupt anything. Only for writes that their sender repeats anyway (device
   * registrations: docs/decisions/0002-registration-throughput.md). SQLite commits this way
   * always (`synchronous = NORMAL` in WAL mode), so the option changes nothing there. Ignored by
   * a transaction that joins an enclosing one.
   */
  asyncCommit?: boolean;
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

/**
 * SQLite: the process's one connection to the file, shared with Prisma (lib/db/sqlite-connection.ts):
 * waiting for the write lock never blocks the event loop, and a statement outside a transaction
 * never runs inside another caller's open one.
 */
function createSqliteRunner(file: string): SqlRunner {
  const connection = openSqlite(file);
  const db: Database.Database = connection.db;
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
  const tx: SqlRunner = {
    provider: "sqlite",
    query: async <T>(sql: string, params: readonly unknown[] = []) => run<T>(sql, params),
    execute: async (sql, params = []) => change(sql, params),
    transaction: (work) => work(tx),
    close: async () => {},
  };

  return {
    provider: "sqlite",
    query: <T>(sql: string, params: readonly unknown[] = []) =>
      connection.outside(() => run<T>(sql, params)),
    execute: (sql, params = []) => connection.outside(() => change(sql, params)),
    transaction: (work) => connection.transaction(() => work(tx)),
    async close() {
      connection.release();
    },
  };
}

const preparedNames = new Map<string, string>();

/**
 * Marks a constant statement of a hot path: on PostgreSQL it is parsed and planned once per pooled
 * connection (a named prepared statement) instead of on every call. Only for SQL texts built once
 * (module constants): each registered text stays prepared on every connection. SQLite's runner
 * caches every statement anyway.
 */
export function prepared(sql: string): string {
  if (!preparedNames.has(sql)) preparedNames.set(sql, `pushdeck_${preparedNames.size + 1}`);

  return sql;
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
    // Prepared statements (prepared()) are planned for their actual parameters every time: a
    // generic plan guessed the row counts and nested loops over the CTEs of a 5,000-device
    // registration (30 s instead of 0.3 s, measured). Unnamed statements are planned that way anyway.
    // No JIT: it compiled a 5,000-device registration for 0.7–0.9 s before running it for 0.1 s
    // (measured); statements here are short, and their cost estimates pass the JIT thresholds.
    options: `-c search_path=${config.schema} -c plan_cache_mode=force_custom_plan -c jit=off`,
  });
  // An idle client dropped by the server (restart, admin command) must not crash the process; the
  // pool replaces it on the next query.
  pool.on("error", (error) => console.error("postgresql pool: idle client error:", error.message));
  const statement = (text: string, params: readonly unknown[]): pg.QueryConfig => ({
    name: preparedNames.get(text),
    text,
    values: params.map((value) => (value instanceof Date ? sqlDate("postgresql", value) : value)),
  });
  const fromClient = (
    client: pg.Pool | pg.PoolClient,
  ): Omit<SqlRunner, "transaction" | "close"> => ({
    provider: "postgresql",
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await client.query(statement(sql, params))).rows as T[];
    },
    async execute(sql, params = []) {
      return (await client.query(statement(sql, params))).rowCount ?? 0;
    },
  });

  return {
    ...fromClient(pool),
    async transaction<T>(work: (tx: SqlRunner) => Promise<T>, options: TransactionOptions = {}) {
      const client = await pool.connect();
      try {
        // One round trip either way (a simple query may hold several statements).
        await client.query(
          options.asyncCommit ? "BEGIN; SET LOCAL synchronous_commit = off" : "BEGIN",
        );
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
