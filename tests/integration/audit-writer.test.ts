import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "@/lib/access/authorize";
import { createApp } from "@/lib/apps/create-app";
import { findAuditEntries } from "@/lib/audit/find-audit-entries";
import { recordAudit, type AuditEntry } from "@/lib/audit/record";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

// The one audit writer joins the caller's transaction, whichever stack holds it (the SQL runner or
// Prisma): the row commits with it and rolls back with it, and a failed write fails the caller.
let t: TestDatabase;
const system = systemActor("test");

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

const entry = (action: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  actor: { type: "SYSTEM", label: "test" },
  action,
  success: true,
  ...extra,
});
const count = (action: string) => t.db.auditLog.count({ where: { action } });
class CallerFailed extends Error {}

describe(`the audit writer on ${testProvider()}`, () => {
  it("commits and rolls back with the caller's SQL runner transaction", async () => {
    await t.sql.transaction((tx) => recordAudit(tx, entry("sql.commit")));
    await expect(
      t.sql.transaction(async (tx) => {
        await recordAudit(tx, entry("sql.rollback"));
        throw new CallerFailed();
      }),
    ).rejects.toBeInstanceOf(CallerFailed);
    expect([await count("sql.commit"), await count("sql.rollback")]).toEqual([1, 0]);
  });

  it("commits and rolls back with the caller's Prisma transaction", async () => {
    await t.db.$transaction((tx) => recordAudit(tx, entry("prisma.commit")));
    await expect(
      t.db.$transaction(async (tx) => {
        await recordAudit(tx, entry("prisma.rollback"));
        throw new CallerFailed();
      }),
    ).rejects.toBeInstanceOf(CallerFailed);
    expect([await count("prisma.commit"), await count("prisma.rollback")]).toEqual([1, 0]);
  });

  it("a data function's change and its audit row join the transaction the caller passes", async () => {
    const input = (bundleId: string) => ({ name: "Audited", bundleId });
    await expect(
      t.db.$transaction(async (tx) => {
        await createApp(system, input("com.example.rolledback"), { db: tx });
        throw new CallerFailed();
      }),
    ).rejects.toBeInstanceOf(CallerFailed);
    expect(await t.db.app.count({ where: { bundleId: "com.example.rolledback" } })).toBe(0);
    expect(await count("app.create")).toBe(0);
    const app = await t.db.$transaction((tx) =>
      createApp(system, input("com.example.kept"), { db: tx }),
    );
    expect(await t.db.auditLog.findMany({ where: { action: "app.create" } })).toEqual([
      expect.objectContaining({ actorType: "SYSTEM", actorLabel: "test", targetId: app.id }),
    ]);
  });

  it("never swallows a failed write: the caller's transaction fails and keeps nothing", async () => {
    const broken = entry("broken", {
      actor: { type: "SYSTEM", label: null as unknown as string },
    });
    await expect(
      t.sql.transaction(async (tx) => {
        await recordAudit(tx, entry("before.broken.sql"));
        await recordAudit(tx, broken);
      }),
    ).rejects.toThrow();
    await expect(
      t.db.$transaction(async (tx) => {
        await recordAudit(tx, entry("before.broken.prisma"));
        await recordAudit(tx, broken);
      }),
    ).rejects.toThrow();
    expect(await count("before.broken.sql")).toBe(0);
    expect(await count("before.broken.prisma")).toBe(0);
  });

  it("writes many rows set-based, field for field, in the order both stacks read back", async () => {
    // Later than every other row of this file, so the newest-first read below starts with these.
    const at = new Date(Date.now() + 86_400_000);
    const many = Array.from({ length: 1_201 }, (_, i) =>
      entry("bulk", {
        actor: { type: "API_KEY", id: "key-1", label: "api key bulk" },
        targetType: "device",
        targetId: String(i),
        success: i % 2 === 0,
        detail: { i },
        ip: "192.0.2.1",
        at: new Date(at.getTime() + i),
      }),
    );
    await t.sql.transaction((tx) => recordAudit(tx, many));
    expect(await count("bulk")).toBe(1_201);
    const row = await t.db.auditLog.findFirstOrThrow({
      where: { action: "bulk", targetId: "7" },
    });
    expect(row).toMatchObject({
      actorType: "API_KEY",
      actorId: "key-1",
      actorLabel: "api key bulk",
      targetType: "device",
      success: false,
      detail: '{"i":7}',
      ip: "192.0.2.1",
      createdAt: new Date(at.getTime() + 7),
    });
    // A row written through Prisma a moment later sorts after the SQL-written ones.
    await recordAudit(t.db, entry("later", { at: new Date(at.getTime() + 5_000) }));
    const { entries } = await findAuditEntries(system, { pageSize: 2 }, { db: t.db });
    expect(entries.map((e) => [e.action, e.targetId])).toEqual([
      ["later", null],
      ["bulk", "1200"],
    ]);
  });
});
