import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import {
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  disableDemoAccounts,
  ensureDemoAccounts,
  ensureFirstAdmin,
  passwordFromFile,
} from "@/lib/bootstrap/first-start";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

let t: TestDatabase;
let dir: string;
beforeAll(async () => {
  t = await createTestDatabase();
  dir = mkdtempSync(path.join(tmpdir(), "pushdeck-first-"));
});
afterAll(async () => {
  await t?.drop();
  rmSync(dir, { recursive: true, force: true });
});

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
    // Created through lib/users (createUser as SYSTEM "first-start"): audited once, with the insert.
    expect(
      await t.db.auditLog.findMany({
        where: { action: "user.create" },
        select: { actorType: true, actorLabel: true, targetId: true },
      }),
    ).toEqual([{ actorType: "SYSTEM", actorLabel: "first-start", targetId: admins[0].id }]);
  });

  it("validates the first admin like any other new user: a bad email creates nothing", async () => {
    const db = await createTestDatabase();
    try {
      await expect(ensureFirstAdmin(db.db, { email: "not an email" })).rejects.toThrow(
        /valid email/,
      );
      expect(await db.db.user.count()).toBe(0);
      expect(await db.db.auditLog.count()).toBe(0);
    } finally {
      await db.drop();
    }
  });

  it("the generated password goes to a 0600 file, written by the start that created the admin", async () => {
    const db = await createTestDatabase();
    try {
      const passwordFile = path.join(dir, "initial-admin-password");
      const results = await Promise.all(
        [1, 2, 3].map(() => ensureFirstAdmin(db.db, { passwordFile })),
      );
      const created = results.filter((r) => r.created);
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ email: "admin@pushdeck.local", passwordFile });
      expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
      const password = passwordFromFile(readFileSync(passwordFile, "utf8"));
      expect(password).toBe(created[0].created && created[0].generatedPassword);
      const admin = await db.db.user.findUniqueOrThrow({
        where: { email: "admin@pushdeck.local" },
      });
      expect(await verifyPassword(admin.passwordHash, password!)).toBe(true);
      // The starts that lost the race left nothing behind.
      expect(readdirSync(dir)).toEqual(["initial-admin-password"]);
    } finally {
      await db.drop();
    }
  });

  it("demo accounts are created once, one per role, with the demo password", async () => {
    expect(await ensureDemoAccounts(t.db)).toEqual({ created: 3, enabled: 0 });
    expect(await ensureDemoAccounts(t.db)).toEqual({ created: 0, enabled: 0 });
    const users = await t.db.user.findMany({
      where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } },
    });
    expect(users.map((u) => u.role).sort()).toEqual(["ADMIN", "MARKETING", "SUPPORT"]);
    for (const user of users)
      expect(await verifyPassword(user.passwordHash, DEMO_PASSWORD)).toBe(true);
    const audit = await t.db.auditLog.findMany({
      where: { action: "user.create", actorLabel: "demo" },
      select: { actorType: true, targetId: true },
    });
    expect(audit.map((row) => row.actorType)).toEqual(["SYSTEM", "SYSTEM", "SYSTEM"]);
    expect(new Set(audit.map((row) => row.targetId))).toEqual(new Set(users.map((u) => u.id)));
  });

  it("outside demo mode the demo accounts are disabled, not deleted; demo mode enables them again", async () => {
    expect(await disableDemoAccounts(t.db)).toBe(3);
    expect(await disableDemoAccounts(t.db)).toBe(0);
    const users = await t.db.user.findMany({
      where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } },
    });
    expect(users.map((u) => [u.disabled, u.sessionVersion])).toEqual([
      [true, 1],
      [true, 1],
      [true, 1],
    ]);
    expect(await t.db.auditLog.count({ where: { action: "demo.accounts-disabled" } })).toBe(1);
    expect(await ensureDemoAccounts(t.db)).toEqual({ created: 0, enabled: 3 });
    expect(await t.db.user.count({ where: { disabled: true } })).toBe(0);
  });
});
