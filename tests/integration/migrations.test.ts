import { afterAll, describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { createPrismaClient } from "@/lib/db/client";
import {
  applyPendingMigrations,
  diffDatabaseToModels,
  migrationsDir,
} from "@/lib/db/schema-engine";
import { createSqlRunner } from "@/lib/db/sql";
import { tokenKey } from "@/lib/devices/token-key";
import { createEmptyDatabase, testProvider } from "./helpers/test-database";

const provider = testProvider();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe(`migrations on ${provider}`, () => {
  it("apply from empty, then are a no-op, and produce exactly the models' schema", async () => {
    const empty = await createEmptyDatabase();
    cleanups.push(empty.remove);
    const committed = readdirSync(migrationsDir(provider), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(committed.length).toBeGreaterThan(0);

    expect(await applyPendingMigrations(empty.config)).toEqual(committed);
    expect(await applyPendingMigrations(empty.config)).toEqual([]);
    // The schema engine's own diff between the migrated database and prisma/models.prisma.
    expect(await diffDatabaseToModels(empty.config)).toBe("");

    const sql = createSqlRunner(empty.config);
    cleanups.unshift(() => sql.close());
    const recorded = await sql.query<{ migration_name: string; finished_at: unknown }>(
      `SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(recorded.map((r) => r.migration_name)).toEqual(committed);
    expect(recorded.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("an unmigrated database differs from the models, so the diff check can fail", async () => {
    const empty = await createEmptyDatabase();
    cleanups.push(empty.remove);
    expect(await diffDatabaseToModels(empty.config)).toMatch(/CREATE TABLE "Device"/);
  });

  it("the generated client reads and writes every model on the migrated schema", async () => {
    const empty = await createEmptyDatabase();
    cleanups.push(empty.remove);
    await applyPendingMigrations(empty.config);
    const db = createPrismaClient(empty.config);
    cleanups.unshift(() => db.$disconnect());
    const app = await db.app.create({ data: { name: "A", bundleId: "com.example.a" } });
    const now = new Date();
    const device = await db.device.create({
      data: {
        appId: app.id,
        environment: "SANDBOX",
        token: "ab".repeat(32),
        tokenKey: tokenKey("ab".repeat(32)),
        firstSeenAt: now,
        lastRegisteredAt: now,
        updatedAt: now,
        tags: { create: [{ tag: "vip" }] },
      },
      include: { tags: true },
    });
    expect(device.tags.map((t) => t.tag)).toEqual(["vip"]);
    await db.delivery.create({
      data: {
        kind: "TEST",
        deviceId: device.id,
        apnsId: crypto.randomUUID(),
        availableAt: now,
        createdAt: now,
      },
    });
    await db.auditLog.create({
      data: { actorType: "SYSTEM", actorLabel: "test", action: "x", success: true },
    });
    expect(await db.delivery.count()).toBe(1);
    await expect(
      db.device.create({
        data: {
          appId: app.id,
          environment: "SANDBOX",
          token: "ab".repeat(32),
          tokenKey: tokenKey("ab".repeat(32)),
          firstSeenAt: now,
          lastRegisteredAt: now,
          updatedAt: now,
        },
      }),
      // SQLite enforces the device key with a trigger, which Prisma's adapter reports as P2003.
    ).rejects.toMatchObject({ code: provider === "sqlite" ? "P2003" : "P2002" });
  });
});
