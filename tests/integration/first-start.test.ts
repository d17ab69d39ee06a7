import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import {
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  ensureDemoAccounts,
  ensureFirstAdmin,
} from "@/lib/bootstrap/first-start";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

describe(`first start on ${testProvider()}`, () => {
  it("creates exactly one admin, even when several starts race, and never again", async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => ensureFirstAdmin(t.db, { email: "Owner@Example.test" })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const created = results.find((r) => r.created)!;
    expect(created).toMatchObject({
      email: "owner@example.test",
      generatedPassword: expect.stringMatching(/^\S{16}$/),
    });
    expect(await ensureFirstAdmin(t.db, { email: "other@example.test" })).toEqual({
      created: false,
    });
    const admins = await t.db.user.findMany({ where: { role: "ADMIN" } });
    expect(admins.map((a) => a.email)).toEqual(["owner@example.test"]);
    const password = created.created ? created.generatedPassword! : "";
    expect(await verifyPassword(admins[0].passwordHash, password)).toBe(true);
  });

  it("demo accounts are created once, one per role, with the demo password", async () => {
    expect(await ensureDemoAccounts(t.db)).toBe(3);
    expect(await ensureDemoAccounts(t.db)).toBe(0);
    const users = await t.db.user.findMany({
      where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } },
    });
    expect(users.map((u) => u.role).sort()).toEqual(["ADMIN", "MARKETING", "SUPPORT"]);
    for (const user of users)
      expect(await verifyPassword(user.passwordHash, DEMO_PASSWORD)).toBe(true);
  });
});
