import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { attemptSignIn } from "@/lib/auth/sign-in";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

// A successful sign-in writes three things: the StaffSession row, the user's lastSignInAt and the
// auth.sign-in audit row. They are one transaction: both (all) or neither. The failure is the
// database's own — a trigger that refuses the audit row — not a mock.
let t: TestDatabase;
const PASSWORD = "correct horse battery";
const EMAIL = "ana@example.test";
const postgres = testProvider() === "postgresql";

async function state() {
  const user = await t.db.user.findUniqueOrThrow({ where: { email: EMAIL } });

  return {
    sessions: await t.db.staffSession.count({ where: { userId: user.id } }),
    audit: await t.db.auditLog.count({ where: { action: "auth.sign-in", success: true } }),
    lastSignInAt: user.lastSignInAt,
  };
}

async function refuseSignInAudit() {
  if (postgres) {
    await t.db.$executeRawUnsafe(
      `CREATE FUNCTION refuse_sign_in_audit() RETURNS trigger LANGUAGE plpgsql AS
       $$ BEGIN RAISE EXCEPTION 'audit row refused'; END $$`,
    );
    await t.db.$executeRawUnsafe(
      `CREATE TRIGGER refuse_sign_in_audit BEFORE INSERT ON "AuditLog" FOR EACH ROW
       WHEN (NEW."action" = 'auth.sign-in' AND NEW."success") EXECUTE FUNCTION refuse_sign_in_audit()`,
    );
  } else {
    await t.db.$executeRawUnsafe(
      `CREATE TRIGGER refuse_sign_in_audit BEFORE INSERT ON "AuditLog"
       WHEN NEW."action" = 'auth.sign-in' AND NEW."success"
       BEGIN SELECT RAISE(ABORT, 'audit row refused'); END`,
    );
  }
}

async function allowSignInAudit() {
  await t.db.$executeRawUnsafe(
    postgres
      ? `DROP TRIGGER IF EXISTS refuse_sign_in_audit ON "AuditLog"`
      : `DROP TRIGGER IF EXISTS refuse_sign_in_audit`,
  );
  if (postgres) await t.db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS refuse_sign_in_audit()`);
}

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.user.create({
    data: { email: EMAIL, name: "Ana", role: "ADMIN", passwordHash: await hashPassword(PASSWORD) },
  });
});
afterEach(allowSignInAudit);
afterAll(() => t?.drop());

describe(`a sign-in's session and audit row on ${testProvider()}`, () => {
  it("a refused audit row takes the session and lastSignInAt with it", async () => {
    const before = await state();
    await refuseSignInAudit();
    await expect(
      attemptSignIn({ email: EMAIL, password: PASSWORD }, "192.0.2.10", { db: t.db, sql: t.sql }),
    ).rejects.toThrow(/auditLog.createMany/);
    expect(await state()).toEqual(before);
  });

  it("a sign-in that succeeds leaves its session and exactly one audit row", async () => {
    const before = await state();
    const result = await attemptSignIn({ email: EMAIL, password: PASSWORD }, "192.0.2.11", {
      db: t.db,
      sql: t.sql,
    });
    expect(result.ok).toBe(true);
    const after = await state();
    expect(after).toMatchObject({ sessions: before.sessions + 1, audit: before.audit + 1 });
    expect(after.lastSignInAt).not.toBeNull();
    const sessionId = result.ok ? result.user.sessionId : "";
    const session = await t.db.staffSession.findUniqueOrThrow({ where: { id: sessionId } });
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { action: "auth.sign-in", success: true, ip: "192.0.2.11" },
    });
    expect(audit).toMatchObject({ actorId: session.userId, targetId: session.userId });
  });
});
