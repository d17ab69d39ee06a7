import type { SqlRunner } from "./sql";

/**
 * Group commit for SQLite: units of work that arrive while one transaction is being written are
 * written together in the next one, each inside its own savepoint. SQLite has a single writer, and
 * random keys (device tokens) dirty most pages of their index in every transaction, so a commit
 * that carries several requests writes each page to the WAL once instead of once per request.
 *
 * Each unit keeps its own outcome: one that throws is rolled back to its savepoint and rejected
 * while the others go on; a failed COMMIT rejects them all, and nothing of theirs is written.
 * A unit's promise settles only after its COMMIT. PostgreSQL runs each unit in its own
 * transaction: it has many writers, and merging would serialize them.
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
  const done: { unit: Unit; value: unknown }[] = [];
  const rejected = new Set<Unit>();
  try {
    await sql.transaction(async (tx) => {
      // Units are taken once the write lock is held, so those that arrived while another process
      // was writing join this transaction. The first always goes, however large.
      let size = 0;
      while (
        queue.pending.length &&
        (!group.length || size + queue.pending[0].size <= GROUP_MAX_SIZE)
      ) {
        const unit = queue.pending.shift()!;
        group.push(unit);
        size += unit.size;
        await tx.execute("SAVEPOINT unit");
        try {
          done.push({ unit, value: await unit.work(tx) });
        } catch (error) {
          await tx.execute("ROLLBACK TO unit");
          rejected.add(unit);
          unit.reject(error);
        }
        await tx.execute("RELEASE unit");
      }
    });
  } catch (error) {
    // BEGIN, a savepoint or COMMIT failed: the transaction is rolled back, nothing of the group is
    // written. When BEGIN failed (the lock was not had in time), the waiting units fail with it.
    if (!group.length) group.push(...queue.pending.splice(0));
    for (const unit of group) if (!rejected.has(unit)) unit.reject(error);

    return;
  }
  for (const { unit, value } of done) unit.resolve(value);
}
