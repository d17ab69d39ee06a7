import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupCommit, groupWrite, type GroupWriter } from "@/lib/db/group-commit";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

const put = (keyId: string) =>
  t.sql.execute(
    `INSERT INTO "ProviderToken" ("keyId", "teamId", "token", "issuedAt") VALUES ($1, $2, $3, $4)`,
    [keyId, "T", "tok", new Date()],
  );
const keys = async (prefix: string) =>
  (
    await t.sql.query<{ keyId: string }>(
      `SELECT "keyId" FROM "ProviderToken" WHERE "keyId" LIKE $1 ORDER BY "keyId"`,
      [`${prefix}%`],
    )
  ).map((r) => r.keyId);

describe(`group commit on ${testProvider()}`, () => {
  it("commits an asyncCommit writer's groups without waiting for the WAL flush, and only those", async () => {
    const mode = (tx: Parameters<GroupWriter<number, string>["write"]>[0]) =>
      tx.provider === "postgresql"
        ? tx
            .query<{ synchronous_commit: string }>("SHOW synchronous_commit")
            .then((r) => r[0].synchronous_commit)
        : Promise.resolve("sqlite");
    const asyncWriter: GroupWriter<number, string> = {
      asyncCommit: true,
      write: async (tx, inputs) => {
        const m = await mode(tx);

        return inputs.map(() => m);
      },
    };
    const syncWriter: GroupWriter<number, string> = { ...asyncWriter, asyncCommit: false };
    // Interleaved, concurrent: a group never mixes the two modes.
    const outputs = await Promise.all(
      Array.from({ length: 12 }, (_, i) => groupWrite(t.sql, i % 2 ? asyncWriter : syncWriter, i)),
    );
    const expected = (i: number) =>
      testProvider() === "postgresql" ? (i % 2 ? "off" : "on") : "sqlite";
    expect(outputs).toEqual(outputs.map((_, i) => expected(i)));
    // A plain transaction is unaffected by the groups that ran on the same pooled connections.
    expect(await t.sql.transaction((tx) => mode(tx))).toBe(
      testProvider() === "postgresql" ? "on" : "sqlite",
    );
  });

  it("writes concurrent units and gives each its own result", async () => {
    const values = await Promise.all(
      ["a1", "a2", "a3", "a4"].map((k) =>
        groupCommit(t.sql, async (tx) => {
          await tx.execute(
            `INSERT INTO "ProviderToken" ("keyId", "teamId", "token", "issuedAt") VALUES ($1, $2, $3, $4)`,
            [k, "T", "tok", new Date()],
          );

          return `done ${k}`;
        }),
      ),
    );
    expect(values).toEqual(["done a1", "done a2", "done a3", "done a4"]);
    expect(await keys("a")).toEqual(["a1", "a2", "a3", "a4"]);
  });

  it("rolls back a failing unit alone: the others of its group are written", async () => {
    const unit = (k: string, fail: boolean) =>
      groupCommit(t.sql, async (tx) => {
        await tx.execute(
          `INSERT INTO "ProviderToken" ("keyId", "teamId", "token", "issuedAt") VALUES ($1, $2, $3, $4)`,
          [k, "T", "tok", new Date()],
        );
        if (fail) throw new Error(`unit ${k} failed`);

        return k;
      });
    const outcomes = await Promise.allSettled([
      unit("b1", false),
      unit("b2", true),
      unit("b3", false),
      unit("b4", true),
      unit("b5", false),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe("unit b2 failed");
    expect(await keys("b")).toEqual(["b1", "b3", "b5"]);
  });

  it("rejects a unit whose statement fails and keeps the group's other writes", async () => {
    await put("c0");
    const insert = `INSERT INTO "ProviderToken" ("keyId", "teamId", "token", "issuedAt") VALUES ($1, 'T', 't', $2)`;
    const outcomes = await Promise.allSettled([
      groupCommit(t.sql, (tx) =>
        tx.execute(`UPDATE "ProviderToken" SET "teamId" = 'U' WHERE "keyId" = 'c0'`),
      ),
      // c1 is written, then c0 again: the database refuses the duplicate key, so c1 goes too.
      groupCommit(t.sql, async (tx) => {
        await tx.execute(insert, ["c1", new Date()]);
        await tx.execute(insert, ["c0", new Date()]);
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected"]);
    expect(await keys("c")).toEqual(["c0"]);
    const [row] = await t.sql.query<{ teamId: string }>(
      `SELECT "teamId" FROM "ProviderToken" WHERE "keyId" = 'c0'`,
    );
    expect(row.teamId).toBe("U");
  });

  it("after a failure, runs each unit of the group again alone: nothing is written twice", async () => {
    const runs = new Map<string, number>();
    const unit = (k: string, fail: boolean) =>
      groupCommit(t.sql, async (tx) => {
        const run = (runs.get(k) ?? 0) + 1;
        runs.set(k, run);
        await tx.execute(
          `INSERT INTO "ProviderToken" ("keyId", "teamId", "token", "issuedAt") VALUES ($1, $2, $3, $4)`,
          [k, `run ${run}`, "tok", new Date()],
        );
        if (fail) throw new Error(`unit ${k} failed`);

        return run;
      });
    const outcomes = await Promise.allSettled([
      unit("d1", false),
      unit("d2", true),
      unit("d3", false),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    // d1, d2 and d3 were taken in one group; d2 failed before d3 ran and rolled d1 back; each ran
    // again alone. Values are those of the committed run.
    expect(Object.fromEntries(runs)).toEqual({ d1: 2, d2: 2, d3: 1 });
    expect(outcomes.map((o) => (o.status === "fulfilled" ? o.value : null))).toEqual([2, null, 1]);
    const rows = await t.sql.query<{ keyId: string; teamId: string }>(
      `SELECT "keyId", "teamId" FROM "ProviderToken" WHERE "keyId" LIKE 'd%' ORDER BY "keyId"`,
    );
    expect(rows).toEqual([
      { keyId: "d1", teamId: "run 2" },
      { keyId: "d3", teamId: "run 1" },
    ]);
  });

  it("gives a writer the inputs of its group in one call, and each input its own output", async () => {
    const calls: string[][] = [];
    const writer: GroupWriter<string, string> = {
      async write(tx, keys) {
        calls.push([...keys]);
        for (const k of keys)
          await tx.execute(
            `INSERT INTO "ProviderToken" ("keyId", "teamId", "token", "issuedAt") VALUES ($1, 'T', 't', $2)`,
            [k, new Date()],
          );

        return keys.map((k) => `wrote ${k}`);
      },
    };
    const outputs = await Promise.all(["e1", "e2", "e3"].map((k) => groupWrite(t.sql, writer, k)));
    expect(outputs).toEqual(["wrote e1", "wrote e2", "wrote e3"]);
    expect(calls).toEqual([["e1", "e2", "e3"]]);
    expect(await keys("e")).toEqual(["e1", "e2", "e3"]);
  });

  it("when a writer's call fails, writes each input again alone: only the failing one is lost", async () => {
    const writer: GroupWriter<string, string> = {
      async write(tx, keys) {
        for (const k of keys) {
          if (k === "f2") throw new Error("f2 refused");
          await tx.execute(
            `INSERT INTO "ProviderToken" ("keyId", "teamId", "token", "issuedAt") VALUES ($1, 'T', 't', $2)`,
            [k, new Date()],
          );
        }

        return [...keys];
      },
    };
    const outcomes = await Promise.allSettled(
      ["f1", "f2", "f3"].map((k) => groupWrite(t.sql, writer, k)),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await keys("f")).toEqual(["f1", "f3"]);
  });
});
