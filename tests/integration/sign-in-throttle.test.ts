import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  delayAfter,
  forgetIdleCounters,
  lockedForMs,
  reserveSignInAttempt,
  SIGN_IN_LIMITS,
  signInSucceeded,
  throttleKeys,
} from "@/lib/auth/throttle";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

const start = new Date("2026-11-28T10:00:00Z");
const later = (ms: number) => new Date(start.getTime() + ms);
const { accountAddress, address } = SIGN_IN_LIMITS;

describe(`sign-in throttling on ${testProvider()}`, () => {
  it("lets the free attempts through, then each further one waits twice as long, up to the cap", async () => {
    const email = "ana@example.test";
    const ip = "192.0.2.1";
    let now = start.getTime();
    for (let i = 1; i < accountAddress.free; i++) {
      expect(await reserveSignInAttempt(t.sql, email, ip, new Date(now))).toEqual({
        ok: true,
        waitAfterFailureMs: 0,
      });
    }
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const attempt = await reserveSignInAttempt(t.sql, email, ip, new Date(now));
      expect(attempt.ok).toBe(true);
      const wait = attempt.ok ? attempt.waitAfterFailureMs : 0;
      waits.push(wait);
      // Too early: refused, told how long to wait, and nothing is counted.
      expect(await reserveSignInAttempt(t.sql, email, ip, new Date(now + wait - 1))).toEqual({
        ok: false,
        retryAfterMs: 1,
      });
      now += wait;
    }
    expect(waits).toEqual([
      4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 512_000, 900_000, 900_000,
    ]);
    expect(waits[0]).toBe(delayAfter(accountAddress, accountAddress.free));
  });

  it("counts parallel attempts atomically: exactly the free ones get through", async () => {
    const results = await Promise.all(
      Array.from({ length: 60 }, () =>
        reserveSignInAttempt(t.sql, "parallel@example.test", "192.0.2.2", start),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(accountAddress.free);
    for (const refused of results.filter((r) => !r.ok))
      expect(refused).toEqual({ ok: false, retryAfterMs: accountAddress.firstDelayMs });
    const [row] = await t.db.signInThrottle.findMany({
      where: { key: throttleKeys("parallel@example.test", "192.0.2.2")[0].key },
    });
    expect(row.failures).toBe(accountAddress.free);
  });

  it("an account hammered from one address stays open from another", async () => {
    for (let i = 0; i < 20; i++)
      await reserveSignInAttempt(t.sql, "bo@example.test", "198.51.100.66", start);
    expect(
      await lockedForMs(t.sql, throttleKeys("bo@example.test", "198.51.100.66"), start),
    ).toBeGreaterThan(0);
    expect(await reserveSignInAttempt(t.sql, "BO@example.test", "192.0.2.3", start)).toEqual({
      ok: true,
      waitAfterFailureMs: 0,
    });
    expect(await lockedForMs(t.sql, throttleKeys("bo@example.test", null), start)).toBe(0);
  });

  it("an address that fails across many accounts waits, for every account", async () => {
    const ip = "203.0.113.7";
    for (let i = 0; i < address.free; i++)
      expect((await reserveSignInAttempt(t.sql, `guess${i}@example.test`, ip, start)).ok).toBe(
        true,
      );
    expect(await reserveSignInAttempt(t.sql, "fresh@example.test", ip, start)).toEqual({
      ok: false,
      retryAfterMs: address.firstDelayMs,
    });
    expect((await reserveSignInAttempt(t.sql, "fresh@example.test", "203.0.113.8", start)).ok).toBe(
      true,
    );
  });

  it("success starts the account's count over and gives the address back only its own attempt", async () => {
    const ip = "192.0.2.4";
    for (let i = 0; i < accountAddress.free - 1; i++)
      await reserveSignInAttempt(t.sql, "cy@example.test", ip, start);
    await reserveSignInAttempt(t.sql, "other@example.test", ip, start);
    // The next attempt on cy's account is the last free one; it succeeds.
    expect(await reserveSignInAttempt(t.sql, "cy@example.test", ip, start)).toEqual({
      ok: true,
      waitAfterFailureMs: accountAddress.firstDelayMs,
    });
    await signInSucceeded(t.sql, "cy@example.test", ip);
    const [account, byAddress] = throttleKeys("cy@example.test", ip);
    expect(await t.db.signInThrottle.findUnique({ where: { key: account.key } })).toBeNull();
    expect(await t.db.signInThrottle.findUnique({ where: { key: byAddress.key } })).toMatchObject({
      failures: accountAddress.free,
      lockedUntil: null,
    });
    expect(await reserveSignInAttempt(t.sql, "cy@example.test", ip, start)).toEqual({
      ok: true,
      waitAfterFailureMs: 0,
    });
  });

  it("counters idle for the forget time start over, and housekeeping deletes them", async () => {
    const ip = "192.0.2.5";
    for (let i = 0; i < accountAddress.free; i++)
      await reserveSignInAttempt(t.sql, "di@example.test", ip, start);
    const idle = later(SIGN_IN_LIMITS.forgetAfterMs);
    expect(await reserveSignInAttempt(t.sql, "di@example.test", ip, idle)).toEqual({
      ok: true,
      waitAfterFailureMs: 0,
    });
    const [account] = throttleKeys("di@example.test", ip);
    expect(await t.db.signInThrottle.findUnique({ where: { key: account.key } })).toMatchObject({
      failures: 1,
    });
    expect(
      await forgetIdleCounters(t.sql, later(2 * SIGN_IN_LIMITS.forgetAfterMs)),
    ).toBeGreaterThan(0);
    expect(await t.db.signInThrottle.count()).toBe(0);
  });
});
