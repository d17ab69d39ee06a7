import { afterAll, describe, expect, it } from "vitest";
import { applyPendingMigrations } from "@/lib/db/schema-engine";
import { createSqlRunner, toDate, type SqlRunner } from "@/lib/db/sql";
import { createEmptyDatabase, testProvider } from "./helpers/test-database";

// The migration that moves sign-in throttling to per (account, address) keys and adds staff
// sessions, run on a database populated under the schema before it.
const provider = testProvider();
const MIGRATION = "20261202094104_staff_sessions_sign_in_throttle";
const BEFORE = "20261128230851_device_token_key";
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const at = (iso: string) => (provider === "sqlite" ? iso.replace("Z", "+00:00") : iso.slice(0, -1));

describe(`the staff sessions / sign-in throttle migration on ${provider}`, () => {
  it("keeps users and per-address counters, and drops the per-account locks", async () => {
    const empty = await createEmptyDatabase();
    cleanups.push(empty.remove);
    await applyPendingMigrations(empty.config, { through: BEFORE });
    let sql: SqlRunner = createSqlRunner(empty.config);
    await sql.execute(
      `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role", "sessionVersion", "createdAt", "updatedAt")
       VALUES ('u1', 'ana@example.test', 'Ana', 'hash', 'ADMIN', 3, $1, $1)`,
      [at("2026-11-28T09:00:00.000Z")],
    );
    const throttle = [
      ["email:ana@example.test", 5, "2026-11-28T10:00:00.000Z", "2026-11-28T10:15:00.000Z"],
      ["email:bob@example.test", 2, "2026-11-28T10:01:00.000Z", null],
      ["ip:203.0.113.7", 31, "2026-11-28T10:02:00.000Z", "2026-11-28T10:17:00.000Z"],
      ["ip:198.51.100.1", 1, "2026-11-28T10:03:00.000Z", null],
    ] as const;
    for (const [key, failures, windowStart, lockedUntil] of throttle)
      await sql.execute(
        `INSERT INTO "SignInThrottle" ("key", "failures", "windowStart", "lockedUntil") VALUES ($1, $2, $3, $4)`,
        [key, failures, at(windowStart), lockedUntil && at(lockedUntil)],
      );
    await sql.close();

    expect(await applyPendingMigrations(empty.config)).toContain(MIGRATION);
    sql = createSqlRunner(empty.config);
    cleanups.unshift(() => sql.close());

    const users = await sql.query<{ id: string; email: string; sessionVersion: number }>(
      `SELECT "id", "email", "sessionVersion" FROM "User"`,
    );
    expect(users).toEqual([{ id: "u1", email: "ana@example.test", sessionVersion: 3 }]);
    const rows = await sql.query<{
      key: string;
      failures: number;
      lastAttemptAt: unknown;
      lockedUntil: unknown;
    }>(
      `SELECT "key", "failures", "lastAttemptAt", "lockedUntil" FROM "SignInThrottle" ORDER BY "key"`,
    );
    expect(
      rows.map((row) => ({
        key: row.key,
        failures: Number(row.failures),
        lastAttemptAt: toDate(row.lastAttemptAt)?.toISOString(),
        lockedUntil: toDate(row.lockedUntil)?.toISOString() ?? null,
      })),
    ).toEqual([
      {
        key: "ip:198.51.100.1",
        failures: 1,
        lastAttemptAt: "2026-11-28T10:03:00.000Z",
        lockedUntil: null,
      },
      {
        key: "ip:203.0.113.7",
        failures: 31,
        lastAttemptAt: "2026-11-28T10:02:00.000Z",
        lockedUntil: "2026-11-28T10:17:00.000Z",
      },
    ]);
    const [{ n }] = await sql.query<{ n: number }>(`SELECT count(*) AS "n" FROM "StaffSession"`);
    expect(Number(n)).toBe(0);
    // Sessions belong to their user: deleting the user deletes them.
    await sql.execute(
      `INSERT INTO "StaffSession" ("id", "userId", "createdAt", "expiresAt", "lastSeenAt") VALUES ('s1', 'u1', $1, $1, $1)`,
      [at("2026-11-28T11:00:00.000Z")],
    );
    await sql.execute(`DELETE FROM "User" WHERE "id" = 'u1'`);
    const [{ left }] = await sql.query<{ left: number }>(
      `SELECT count(*) AS "left" FROM "StaffSession"`,
    );
    expect(Number(left)).toBe(0);
  });
});
