import { toDate, type SqlRunner } from "@/lib/db/sql";

/**
 * Sign-in throttling, shared by every web process through the database (SignInThrottle).
 *
 * Two counters gate each attempt: one account from one address, and one address across accounts.
 * There is no per-account lock: hammering an account from one address slows that address down and
 * leaves its owner, signing in from anywhere else, alone.
 *
 * Each counter lets `free` attempts through; from then on each attempt pushes the next one out by
 * `firstDelayMs`, doubled every time, up to `maxDelayMs`. Counting is atomic: one INSERT … ON
 * CONFLICT DO UPDATE … RETURNING per counter increments it and sets its lock in the same statement,
 * before the password is checked (SQLite runs it under its write lock, PostgreSQL under the row's
 * lock), so parallel attempts cannot all slip under the limit. An attempt counts as a failure from
 * then on; success gives it back. After `forgetAfterMs` without attempts a counter starts over.
 */
export const SIGN_IN_LIMITS = {
  /** One account from one address. */
  accountAddress: { free: 5, firstDelayMs: 4_000, maxDelayMs: 15 * 60_000 },
  /** One address, any account. */
  address: { free: 30, firstDelayMs: 4_000, maxDelayMs: 15 * 60_000 },
  forgetAfterMs: 60 * 60_000,
} as const;

type Kind = "accountAddress" | "address";
type Limit = (typeof SIGN_IN_LIMITS)[Kind];
export type ThrottleKey = { kind: Kind; key: string };

/** The counters an attempt for `email` from `ip` goes through (an unknown address is one address). */
export function throttleKeys(email: string, ip: string | null): ThrottleKey[] {
  const address = ip ?? "unknown";
  const keys: ThrottleKey[] = [
    { kind: "accountAddress", key: `account:${address} ${email.trim().toLowerCase()}` },
  ];
  if (ip) keys.push({ kind: "address", key: `ip:${ip}` });

  return keys;
}

/** How long the attempt after the `count`th one must wait (0 while attempts are free). */
export function delayAfter(limit: Limit, count: number): number {
  if (count < limit.free) return 0;

  return Math.min(limit.firstDelayMs * 2 ** (count - limit.free), limit.maxDelayMs);
}

/** The distinct delays from the first one up to the cap, in order. */
function delaySteps(limit: Limit): number[] {
  const steps: number[] = [];
  for (let count = limit.free; ; count++) {
    const delay = delayAfter(limit, count);
    steps.push(delay);
    if (delay >= limit.maxDelayMs) return steps;
  }
}

const reserveStatements = new Map<string, string>();

/**
 * The statement that counts one attempt on a key unless it is locked, and locks it as the new count
 * requires: `$1` key, `$2` now, `$3` the lock of a first attempt, `$4…` now + each delay step.
 */
function reserveStatement(provider: SqlRunner["provider"], kind: Kind): string {
  const id = `${provider}:${kind}`;
  let statement = reserveStatements.get(id);
  if (statement) return statement;
  const limit = SIGN_IN_LIMITS[kind];
  const steps = delaySteps(limit);
  // PostgreSQL cannot infer a type for parameters that are only the branches of a CASE.
  const time = (n: number) => (provider === "postgresql" ? `CAST($${n} AS TIMESTAMP(3))` : `$${n}`);
  const count = `"SignInThrottle"."failures" + 1`;
  const lock = [
    `CASE WHEN ${count} < ${limit.free} THEN NULL`,
    ...steps.slice(0, -1).map((_, i) => `WHEN ${count} = ${limit.free + i} THEN ${time(4 + i)}`),
    `ELSE ${time(4 + steps.length - 1)} END`,
  ].join(" ");
  statement = `INSERT INTO "SignInThrottle" ("key", "failures", "lastAttemptAt", "lockedUntil")
VALUES ($1, 1, $2, $3)
ON CONFLICT ("key") DO UPDATE SET "failures" = ${count}, "lastAttemptAt" = $2, "lockedUntil" = ${lock}
WHERE "SignInThrottle"."lockedUntil" IS NULL OR "SignInThrottle"."lockedUntil" <= $2
RETURNING "failures", "lockedUntil"`;
  reserveStatements.set(id, statement);

  return statement;
}

/** Counts one attempt on `key`; null when the key is locked (nothing counted). */
async function reserveKey(
  sql: SqlRunner,
  { kind, key }: ThrottleKey,
  now: Date,
): Promise<{ failures: number; lockedUntil: Date | null } | null> {
  const limit = SIGN_IN_LIMITS[kind];
  // A counter idle for forgetAfterMs (and not locked) starts over.
  await sql.execute(
    `DELETE FROM "SignInThrottle" WHERE "key" = $1 AND "lastAttemptAt" <= $2 AND ("lockedUntil" IS NULL OR "lockedUntil" <= $3)`,
    [key, new Date(now.getTime() - SIGN_IN_LIMITS.forgetAfterMs), now],
  );
  const first = delayAfter(limit, 1);
  const rows = await sql.query<{ failures: number | string; lockedUntil: unknown }>(
    reserveStatement(sql.provider, kind),
    [
      key,
      now,
      first > 0 ? new Date(now.getTime() + first) : null,
      ...delaySteps(limit).map((delay) => new Date(now.getTime() + delay)),
    ],
  );
  if (rows.length === 0) return null;

  return { failures: Number(rows[0].failures), lockedUntil: toDate(rows[0].lockedUntil) };
}

/** Milliseconds until none of `keys` is locked (0 when none is). */
export async function lockedForMs(
  sql: SqlRunner,
  keys: ThrottleKey[],
  now = new Date(),
): Promise<number> {
  const list = keys.map((_, i) => `$${i + 2}`).join(", ");
  const rows = await sql.query<{ lockedUntil: unknown }>(
    `SELECT "lockedUntil" FROM "SignInThrottle" WHERE "key" IN (${list}) AND "lockedUntil" > $1`,
    [now, ...keys.map((k) => k.key)],
  );

  return rows.reduce(
    (max, row) => Math.max(max, (toDate(row.lockedUntil)?.getTime() ?? 0) - now.getTime()),
    0,
  );
}

export type Reservation =
  /** Go ahead and check the password; should it be wrong, the next attempt waits `waitAfterFailureMs`. */
  | { ok: true; waitAfterFailureMs: number }
  /** Refused without checking anything: try again in `retryAfterMs`. */
  | { ok: false; retryAfterMs: number };

/**
 * Counts an attempt for `email` from `ip` on every counter, or refuses it when one is locked. Only an
 * attempt this lets through may check a password.
 */
export async function reserveSignInAttempt(
  sql: SqlRunner,
  email: string,
  ip: string | null,
  now = new Date(),
): Promise<Reservation> {
  const keys = throttleKeys(email, ip);
  // Refusing a locked caller costs one read and writes nothing.
  const locked = await lockedForMs(sql, keys, now);
  if (locked > 0) return { ok: false, retryAfterMs: locked };
  let waitAfterFailureMs = 0;
  for (const key of keys) {
    const counted = await reserveKey(sql, key, now);
    // Locked by a parallel attempt since the read above.
    if (!counted)
      return { ok: false, retryAfterMs: Math.max(1_000, await lockedForMs(sql, keys, now)) };
    const wait = counted.lockedUntil ? counted.lockedUntil.getTime() - now.getTime() : 0;
    waitAfterFailureMs = Math.max(waitAfterFailureMs, wait);
  }

  return { ok: true, waitAfterFailureMs };
}

/**
 * The attempt let through by reserveSignInAttempt succeeded: this account's counter from this
 * address starts over, and the address gets back the attempt it was charged (no more: signing in
 * to one's own account must not reset the count of guesses at others').
 */
export async function signInSucceeded(
  sql: SqlRunner,
  email: string,
  ip: string | null,
): Promise<void> {
  for (const { kind, key } of throttleKeys(email, ip)) {
    if (kind === "accountAddress") {
      await sql.execute(`DELETE FROM "SignInThrottle" WHERE "key" = $1`, [key]);
      continue;
    }
    await sql.execute(
      `UPDATE "SignInThrottle" SET "failures" = "failures" - 1,
         "lockedUntil" = CASE WHEN "failures" - 1 < $2 THEN NULL ELSE "lockedUntil" END
       WHERE "key" = $1 AND "failures" > 0`,
      [key, SIGN_IN_LIMITS[kind].free],
    );
  }
}

/** Deletes counters idle for forgetAfterMs and no longer locked (housekeeping). */
export async function forgetIdleCounters(sql: SqlRunner, now = new Date()): Promise<number> {
  return sql.execute(
    `DELETE FROM "SignInThrottle" WHERE "lastAttemptAt" <= $1 AND ("lockedUntil" IS NULL OR "lockedUntil" <= $2)`,
    [new Date(now.getTime() - SIGN_IN_LIMITS.forgetAfterMs), now],
  );
}
