import { readdirSync, readlinkSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toDate } from "@/lib/db/sql";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

describe(`raw SQL runner on ${testProvider()}`, () => {
  it("binds $n placeholders in any order and repeated", async () => {
    const [row] = await t.sql.query<{ a: unknown; b: unknown; c: unknown }>(
      "SELECT $2 AS a, $1 AS b, $2 AS c",
      ["one", "two"],
    );
    expect([String(row.a), String(row.b), String(row.c)]).toEqual(["two", "one", "two"]);
  });

  it("writes dates that Prisma reads back exactly, and reads Prisma's dates", async () => {
    const at = new Date("2026-03-04T05:06:07.089Z");
    await t.sql.execute(
      `INSERT INTO "ProviderToken" ("keyId", "teamId", "token", "issuedAt") VALUES ($1, $2, $3, $4)`,
      ["K1", "T", "tok", at],
    );
    expect(
      (
        await t.db.providerToken.findUniqueOrThrow({ where: { keyId: "K1" } })
      ).issuedAt.toISOString(),
    ).toBe(at.toISOString());
    await t.db.providerToken.create({
      data: { keyId: "K2", teamId: "T", token: "t2", issuedAt: at },
    });
    const [row] = await t.sql.query<{ issuedAt: unknown }>(
      `SELECT "issuedAt" FROM "ProviderToken" WHERE "keyId" = $1`,
      ["K2"],
    );
    expect(toDate(row.issuedAt)?.toISOString()).toBe(at.toISOString());
  });

  it("rolls a failed transaction back completely", async () => {
    const before = await t.db.providerToken.count();
    await expect(
      t.sql.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO "ProviderToken" ("keyId", "teamId", "token", "issuedAt") VALUES ($1, $2, $3, $4)`,
          ["K3", "T", "x", new Date()],
        );
        await tx.execute(
          `INSERT INTO "ProviderToken" ("keyId", "teamId", "token", "issuedAt") VALUES ($1, $2, $3, $4)`,
          ["K3", "T", "dup", new Date()],
        );
      }),
    ).rejects.toThrow();
    expect(await t.db.providerToken.count()).toBe(before);
  });
});

describe(`raw SQL runner isolation on ${testProvider()}`, () => {
  it("statements outside a transaction never run inside another caller's open transaction", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inside = t.sql.transaction(async (tx) => {
      await tx.execute(
        `INSERT INTO "ProviderToken" ("keyId", "teamId", "token", "issuedAt") VALUES ($1, $2, $3, $4)`,
        ["ISO1", "T", "x", new Date()],
      );
      await gate;
      throw new Error("roll back");
    });
    // While the transaction is open, another caller writes; the rollback must not take it along.
    const outside = t.sql.execute(
      `INSERT INTO "ProviderToken" ("keyId", "teamId", "token", "issuedAt") VALUES ($1, $2, $3, $4)`,
      ["ISO2", "T", "y", new Date()],
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await expect(inside).rejects.toThrow("roll back");
    await outside;
    const keys = (
      await t.sql.query<{ keyId: string }>(
        `SELECT "keyId" FROM "ProviderToken" WHERE "keyId" IN ($1, $2)`,
        ["ISO1", "ISO2"],
      )
    ).map((r) => r.keyId);
    expect(keys).toEqual(["ISO2"]);
  });
});

describe(`one connection per process on ${testProvider()}`, () => {
  it.runIf(testProvider() === "sqlite")(
    "Prisma and the SQL runner share one SQLite connection to the file",
    async () => {
      await t.db.providerToken.count();
      await t.sql.query(`SELECT 1`);
      const file = (t.config as { file: string }).file;
      const open = readdirSync("/proc/self/fd").filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false;
        }
      });
      expect(open).toHaveLength(1);
    },
  );

  it("runs Prisma's and the runner's transactions one after the other, each whole", async () => {
    const order: string[] = [];
    const insert = `INSERT INTO "ProviderToken" ("keyId", "teamId", "token", "issuedAt") VALUES ($1, 'T', 't', $2)`;
    await Promise.all([
      t.sql.transaction(async (tx) => {
        order.push("sql begin");
        await tx.execute(insert, ["TX1", new Date()]);
        await new Promise((resolve) => setTimeout(resolve, 50));
        order.push("sql end");
      }),
      t.db.$transaction(async (tx) => {
        order.push("prisma begin");
        await tx.providerToken.create({
          data: { keyId: "TX2", teamId: "T", token: "t", issuedAt: new Date() },
        });
        order.push("prisma end");
      }),
    ]);
    if (testProvider() === "sqlite")
      expect(order).toEqual(["sql begin", "sql end", "prisma begin", "prisma end"]);
    expect(await t.db.providerToken.count({ where: { keyId: { in: ["TX1", "TX2"] } } })).toBe(2);
  });

  it.runIf(testProvider() === "sqlite")(
    "refuses a statement outside the open transaction issued from inside it, instead of waiting forever",
    async () => {
      await expect(
        t.sql.transaction(async () => {
          await t.db.providerToken.count();
        }),
      ).rejects.toThrow(/use the transaction's runner/);
      await expect(
        t.sql.transaction(async () => {
          await t.sql.query(`SELECT 1`);
        }),
      ).rejects.toThrow(/use the transaction's runner/);
    },
  );
});
