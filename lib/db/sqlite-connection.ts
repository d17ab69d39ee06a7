import { AsyncLocalStorage } from "node:async_hooks";
import path from "node:path";
import Database from "better-sqlite3";

/**
 * One SQLite connection per process and database file, shared by both stacks (the raw SQL runner,
 * lib/db/sql.ts, and Prisma through lib/db/sqlite-adapter.ts), that never blocks the event loop
 * waiting for a lock.
 *
 * better-sqlite3 is synchronous: with a busy timeout, a statement that finds the write lock taken
 * (another web process, the CLI, a worker) sleeps inside the call, and the whole process freezes —
 * pages, health checks, timers — for as long as the other writer holds the lock (SQLite's back-off
 * also reaches 100 ms steps). Here the busy timeout is 0: SQLITE_BUSY comes back at once and the
 * caller waits on a timer and tries again (`SQLITE_BUSY_TIMEOUT_MS` in all).
 *
 * Transactions (BEGIN IMMEDIATE: the write lock is taken up front, so no statement inside can meet
 * SQLITE_BUSY half-way) run one at a time per connection, first come first served. Statements
 * outside a transaction wait while one is open on this connection (they would otherwise run inside
 * it), never while another process writes: in WAL mode readers don't take the write lock. Only the
 * caller's own transaction may be used inside it: a statement outside it, issued from inside it,
 * would wait for it forever, so that throws instead.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SQLITE_BUSY from better-sqlite3, or as the Prisma adapter wraps it (DriverAdapterError). */
export function isBusy(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { originalCode?: unknown } } | null;
  const code = typeof e?.code === "string" ? e.code : e?.cause?.originalCode;

  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

export type SqliteConnection = {
  readonly file: string;
  readonly db: Database.Database;
  /** Runs one statement (or a synchronous group) when no transaction is open here, retrying SQLITE_BUSY. */
  outside<T>(step: () => T | Promise<T>): Promise<T>;
  /**
   * Waits its turn, then BEGIN IMMEDIATE (retrying SQLITE_BUSY). The caller ends the transaction
   * (COMMIT or ROLLBACK) and then calls the returned `end`, which lets the next one begin.
   */
  begin(): Promise<() => void>;
  /** Runs `work` in a transaction of its own: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** Drops this user of the connection; the last one closes it. */
  release(): void;
};

type Shared = { connection: SqliteConnection; users: number };
type Registry = { pushdeckSqlite?: Map<string, Shared> };
const registry = ((globalThis as Registry).pushdeckSqlite ??= new Map());

/** The process's connection to `file` (opened on first use); each caller calls release() once. */
export function openSqlite(file: string): SqliteConnection {
  const key = path.resolve(file);
  let shared = registry.get(key);
  if (!shared) {
    shared = { connection: createConnection(key, () => registry.delete(key)), users: 0 };
    registry.set(key, shared);
  }
  shared.users++;
  const entry = shared;
  let released = false;

  return {
    ...entry.connection,
    release() {
      if (released) return;
      released = true;
      if (--entry.users === 0) entry.connection.release();
    },
  };
}

function configure(db: Database.Database): void {
  try {
    db.pragma("journal_mode = WAL");
  } catch (error) {
    // Another process holds a lock while switching: it is switching the file to WAL itself.
    if (!isBusy(error)) throw error;
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
}

function createConnection(file: string, forget: () => void): SqliteConnection {
  const db = new Database(file, { timeout: 0 });
  configure(db);
  // The transaction open on this connection, for statements to wait on; and the turn of the next.
  let open: Promise<void> | null = null;
  let turn: Promise<void> = Promise.resolve();
  const inside = new AsyncLocalStorage<Database.Database>();

  async function retryBusy<T>(step: () => T | Promise<T>, waitIdle: boolean): Promise<T> {
    const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      while (waitIdle && open) await open;
      try {
        return await step();
      } catch (error) {
        if (!isBusy(error) || Date.now() > deadline) throw error;
      }
      await sleep(Math.min(1 + attempt, 5));
    }
  }

  const connection: SqliteConnection = {
    file,
    db,
    outside(step) {
      if (inside.getStore() === db)
        return Promise.reject(
          new Error(
            "A statement outside the open SQLite transaction was issued from inside it: use the transaction's runner",
          ),
        );

      return retryBusy(step, true);
    },
    async begin() {
      let done!: () => void;
      const mine = new Promise<void>((resolve) => (done = resolve));
      const previous = turn;
      turn = previous.then(() => mine);
      await previous;
      try {
        await retryBusy(() => db.exec("BEGIN IMMEDIATE"), false);
      } catch (error) {
        done();
        throw error;
      }
      let closed!: () => void;
      open = new Promise<void>((resolve) => (closed = resolve));
      let ended = false;

      return () => {
        if (ended) return;
        ended = true;
        // A caller that forgot to finish must not leave the next one inside its transaction.
        if (db.inTransaction) db.exec("ROLLBACK");
        open = null;
        closed();
        done();
      };
    },
    async transaction(work) {
      const end = await connection.begin();
      try {
        const result = await inside.run(db, work);
        db.exec("COMMIT");

        return result;
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw error;
      } finally {
        end();
      }
    },
    release() {
      forget();
      db.close();
    },
  };

  return connection;
}
