import type { SqlRunner } from "./sql";

/**
 * Group commit: units of work that arrive while a transaction is being written are written together
 * in the next one, on both databases.
 * - SQLite has a single writer, and random keys (device tokens) dirty most pages of their index in
 *   every transaction, so a commit that carries several requests writes each page to the WAL once
 *   instead of once per request. One group is written at a time per runner.
 * - PostgreSQL: every transaction costs round trips (BEGIN, COMMIT) and a WAL flush at COMMIT, and
 *   every statement a round trip and a parse. Up to PG_GROUPS_IN_FLIGHT groups are written at once
 *   per runner (PostgreSQL has many writers); units that arrive while they all are wait for the next.
 *
 * A unit is either work on the transaction (`groupCommit`) or an input to a GroupWriter
 * (`groupWrite`): the inputs of one writer in a group are written together by one call, so its
 * statements carry the rows of every request of the group (set-based SQL across requests).
 *
 * Each unit keeps its own outcome. The group runs without savepoints: a savepoint around each unit
 * cost +4 µs per registered device on SQLite (measured; most of it in the DeviceEvent insert), a
 * quarter of the write. Units are validated before they get here, so failures are rare; when one
 * throws, or COMMIT fails, the transaction is rolled back and every unit of the group runs again in
 * a transaction of its own. A unit may therefore run twice: it must not carry state from a run that
 * was rolled back. A unit's promise settles only after its COMMIT.
 */
export type GroupWriter<I, O> = {
  /** Writes the inputs in the caller's transaction; one output per input, in the same order. */
  write(tx: SqlRunner, inputs: readonly I[]): Promise<O[]>;
  /**
   * Its groups commit without waiting for the WAL flush on PostgreSQL (TransactionOptions in
   * lib/db/sql.ts). A group holds units of one mode only.
   */
  asyncCommit?: boolean;
};

type Unit = {
  work: ((tx: SqlRunner) => Promise<unknown>) | null;
  writer: GroupWriter<unknown, unknown> | null;
  input: unknown;
  size: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
};

/** Rows one transaction may carry: bounds its time, and so the wait of the units behind it. */
export const GROUP_MAX_SIZE = 40_000;
/** PostgreSQL: groups written at once per runner (each holds one pooled connection). */
export const PG_GROUPS_IN_FLIGHT = 4;

/** flushing: groups being written; waiting: those of them that have not taken their units yet. */
type Queue = { pending: Unit[]; flushing: number; waiting: number };
const queues = new WeakMap<SqlRunner, Queue>();

function enqueue(sql: SqlRunner, unit: Omit<Unit, "resolve" | "reject">): Promise<unknown> {
  let queue = queues.get(sql);
  if (!queue) queues.set(sql, (queue = { pending: [], flushing: 0, waiting: 0 }));
  const q = queue;

  return new Promise((resolve, reject) => {
    q.pending.push({ ...unit, resolve, reject });
    // A group about to take units will take this one too; else start one if the limit allows.
    if (!q.waiting && q.flushing < (sql.provider === "sqlite" ? 1 : PG_GROUPS_IN_FLIGHT))
      void flush(sql, q);
  });
}

/** Runs `work` in a transaction shared with the units that arrive meanwhile. */
export function groupCommit<T>(
  sql: SqlRunner,
  work: (tx: SqlRunner) => Promise<T>,
  size = 1,
): Promise<T> {
  return enqueue(sql, { work, writer: null, input: undefined, size }) as Promise<T>;
}

/** Writes `input` with `writer`, together with the other inputs of the same writer in its group. */
export function groupWrite<I, O>(
  sql: SqlRunner,
  writer: GroupWriter<I, O>,
  input: I,
  size = 1,
): Promise<O> {
  return enqueue(sql, {
    work: null,
    writer: writer as GroupWriter<unknown, unknown>,
    input,
    size,
  }) as Promise<O>;
}

async function flush(sql: SqlRunner, queue: Queue): Promise<void> {
  queue.flushing++;
  try {
    while (queue.pending.length) await writeGroup(sql, queue);
  } finally {
    queue.flushing--;
  }
}

/** Runs the units in the transaction; their outputs in unit order. */
async function runUnits(tx: SqlRunner, units: readonly Unit[]): Promise<unknown[]> {
  const values: unknown[] = new Array(units.length);
  const byWriter = new Map<GroupWriter<unknown, unknown>, number[]>();
  for (let i = 0; i < units.length; i++) {
    const { work, writer } = units[i];
    if (work) values[i] = await work(tx);
    else {
      const indexes = byWriter.get(writer!) ?? [];
      indexes.push(i);
      byWriter.set(writer!, indexes);
    }
  }
  for (const [writer, indexes] of byWriter) {
    const outputs = await writer.write(
      tx,
      indexes.map((i) => units[i].input),
    );
    indexes.forEach((i, k) => (values[i] = outputs[k]));
  }

  return values;
}

const asyncCommit = (unit: Unit) => unit.writer?.asyncCommit === true;

async function writeGroup(sql: SqlRunner, queue: Queue): Promise<void> {
  let group: Unit[] = [];
  // The group takes the mode of the unit at the head of the queue, and only units of that mode.
  const mode = queue.pending.length > 0 && asyncCommit(queue.pending[0]);
  let values: unknown[];
  queue.waiting++;
  let waiting = true;
  const took = () => {
    if (waiting) queue.waiting--;
    waiting = false;
  };
  try {
    values = await sql.transaction(
      async (tx) => {
        // Units are taken once the transaction is open (on SQLite: once the write lock is held), so
        // those that arrived meanwhile join it; on SQLite also those that arrive while it is being
        // written (on PostgreSQL another group takes them). The first always goes, however large.
        const outputs: unknown[] = [];
        let size = 0;
        do {
          const taken: Unit[] = [];
          took();
          while (
            queue.pending.length &&
            asyncCommit(queue.pending[0]) === mode &&
            (!group.length || size + queue.pending[0].size <= GROUP_MAX_SIZE)
          ) {
            size += queue.pending[0].size;
            const unit = queue.pending.shift()!;
            taken.push(unit);
            group.push(unit);
          }
          if (!taken.length) break;
          outputs.push(...(await runUnits(tx, taken)));
        } while (sql.provider === "sqlite");

        return outputs;
      },
      { asyncCommit: mode },
    );
  } catch (error) {
    took();
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
    const units = group;
    group = [];
    for (const unit of units)
      await sql
        .transaction(async (tx) => (await runUnits(tx, [unit]))[0], {
          asyncCommit: asyncCommit(unit),
        })
        .then(unit.resolve, unit.reject);

    return;
  }
  group.forEach((unit, i) => unit.resolve(values[i]));
}
