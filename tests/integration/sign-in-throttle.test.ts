import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clearFailedSignIns,
  lockedForMs,
  recordFailedSignIn,
  SIGN_IN_LIMITS,
} from "@/lib/auth/throttle";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

const start = new Date("2026-11-28T10:00:00Z");
const later = (ms: number) => new Date(start.getTime() + ms);

describe(`sign-in rate limiting on ${testProvider()}`, () => {
  it("locks an account after its limit of failures, for the lock time, and not other accounts", async () => {
    const { max, lockMs } = SIGN_IN_LIMITS.account;
    for (let i = 0; i < max - 1; i++)
      await recordFailedSignIn(t.db, "ana@example.test", "10.0.0.1", later(i * 1000));
    expect(await lockedForMs(t.db, "ana@example.test", "10.0.0.1", later(max * 1000))).toBe(0);
    await recordFailedSignIn(t.db, "ana@example.test", "10.0.0.1", later(max * 1000));
    expect(await lockedForMs(t.db, "ANA@example.test", "10.0.0.9", later(max * 1000))).toBe(lockMs);
    expect(await lockedForMs(t.db, "bob@example.test", "10.0.0.9", later(max * 1000))).toBe(0);
    expect(
      await lockedForMs(t.db, "ana@example.test", "10.0.0.9", later(max * 1000 + lockMs + 1)),
    ).toBe(0);
  });

  it("counts failures only within the window, and a success clears the account", async () => {
    const { max, windowMs } = SIGN_IN_LIMITS.account;
    for (let i = 0; i < max - 1; i++)
      await recordFailedSignIn(t.db, "cy@example.test", null, later(i));
    await recordFailedSignIn(t.db, "cy@example.test", null, later(windowMs + 10));
    expect(await lockedForMs(t.db, "cy@example.test", null, later(windowMs + 20))).toBe(0);
    for (let i = 0; i < max - 2; i++)
      await recordFailedSignIn(t.db, "cy@example.test", null, later(windowMs + 30 + i));
    await clearFailedSignIns(t.db, "cy@example.test");
    await recordFailedSignIn(t.db, "cy@example.test", null, later(windowMs + 100));
    expect(await lockedForMs(t.db, "cy@example.test", null, later(windowMs + 110))).toBe(0);
  });

  it("locks an IP that fails across many accounts", async () => {
    const { max, lockMs } = SIGN_IN_LIMITS.ip;
    for (let i = 0; i < max; i++)
      await recordFailedSignIn(t.db, `guess${i}@example.test`, "203.0.113.7", later(i));
    expect(await lockedForMs(t.db, "fresh@example.test", "203.0.113.7", later(max))).toBe(
      lockMs - 1,
    );
    expect(await lockedForMs(t.db, "fresh@example.test", "203.0.113.8", later(max))).toBe(0);
  });
});
