import type { SqlRunner } from "./sql";

/**
 * Group commit for SQLite: units of work that arrive while one transaction is being written are
 * written together in the next one. SQLite has a single writer, and random keys (device tokens)
 * dirty most pages of their index in every transaction, so a commit that carries several requests
 * writes each page to the WAL once instead of once per request.
 *
 * Each unit keeps its own outcome. The group runs without savepoints: a savepoint around each unit
 * cost +4 µs per registered device on SQLite (measured; most of it in the DeviceEvent insert), a
 * quarter of the write. Units are validated before they get here, so failures are rare; when one
 * throws, or COMMIT fails, the transaction is rolled back and every unit of the group runs again in
 * a transaction of its own. A unit may therefore run twice: it must not carry state from a run that
 * was rolled back. A unit's promise settles only after its COMMIT. PostgreSQL runs each unit in its
 * own transaction: it has many writers, and merging would serialize them.
 */
type Unit = {
  work: (tx: SqlRunner) => Promise<unknown>;
  size: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
};

/** Rows one transaction may carry: bounds its time, and so the wait of the units behind it. */
export const GROUP_MAX_SIZE = 40_000;

type Queue = { pending: Unit[]; flushing: boolean };
const queues = new WeakMap<SqlRunner, Queue>();

export function groupCommit<T>(
  sql: SqlRunner,
  work: (tx: SqlRunner) => Promise<T>,
  size = 1,
): Promise<T> {
  if (sql.provider !== "sqlite") return sql.transaction(work);
  let queue = queues.get(sql);
  if (!queue) queues.set(sql, (queue = { pending: [], flushing: false }));
  const q = queue;

  return new Promise<T>((resolve, reject) => {
    q.pending.push({ work, size, resolve: resolve as (value: unknown) => void, reject });
    if (!q.flushing) void flush(sql, q);
  });
}

async function flush(sql: SqlRunner, queue: Queue): Promise<void> {
  queue.flushing = true;
  try {
    while (queue.pending.length) await writeGroup(sql, queue);
  } finally {
    queue.flushing = false;
  }
}

async function writeGroup(sql: SqlRunner, queue: Queue): Promise<void> {
  const group: Unit[] = [];
  let values: unknown[];
  try {
    values = await sql.transaction(async (tx) => {
      // Units are taken once the write lock is held, so those that arrived while another process
      // was writing join this transaction. The first always goes, however large.
      const results: unknown[] = [];
      let size = 0;
      while (
        queue.pending.length &&
        (!group.length || size + queue.pending[0].size <= GROUP_MAX_SIZE)
      ) {
        const unit = queue.pending.shift()!;
        group.push(unit);
        size += unit.size;
        results.push(await unit.work(tx));
      }

      return results;
    });
  } catch (error) {
    // BEGIN failed (the lock was not had in time): the units waiting fail with it.
    if (!group.length) {
      for (const unit of queue.pending.splice(0)) unit.reject(error);

      return;
    }
    if (group.length === 1) {
      group[0].reject(error);

      return;
    }
    // Nothing of the group was written: each unit runs again alone and gets its own outcome.
    for (const unit of group) await sql.transaction(unit.work).then(unit.resolve, unit.reject);

    return;
  }
  group.forEach((unit, i) => unit.resolve(values[i]));
}
