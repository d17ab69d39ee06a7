import { afterAll, describe, expect, it } from "vitest";
import { applyPendingMigrations } from "@/lib/db/schema-engine";
import { createSqlRunner, toDate, type SqlRunner } from "@/lib/db/sql";
import { createEmptyDatabase, testProvider } from "./helpers/test-database";

// The campaign composer's migration (segments, templates, test devices, Campaign.audienceCount and
// updatedById, the list's keyset indexes), run on a database populated under the schema before it.
const provider = testProvider();
const MIGRATION = "20261202124042_campaign_composer";
const BEFORE = "20261202094104_staff_sessions_sign_in_throttle";
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const at = (iso: string) => (provider === "sqlite" ? iso.replace("Z", "+00:00") : iso.slice(0, -1));
const count = async (sql: SqlRunner, table: string) =>
  Number((await sql.query<{ n: number }>(`SELECT count(*) AS "n" FROM "${table}"`))[0].n);

describe(`the campaign composer migration on ${provider}`, () => {
  it("keeps campaigns, their deliveries and authors, and adds the new tables", async () => {
    const empty = await createEmptyDatabase();
    cleanups.push(empty.remove);
    await applyPendingMigrations(empty.config, { through: BEFORE });
    let sql: SqlRunner = createSqlRunner(empty.config);
    const t0 = at("2026-11-28T09:00:00.000Z");
    await sql.execute(
      `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role", "createdAt", "updatedAt")
       VALUES ('u1', 'mia@example.test', 'Mia', 'hash', 'MARKETING', $1, $1)`,
      [t0],
    );
    await sql.execute(
      `INSERT INTO "App" ("id", "name", "bundleId", "createdAt", "updatedAt") VALUES ('a1', 'A', 'com.example.a', $1, $1)`,
      [t0],
    );
    await sql.execute(
      `INSERT INTO "Device" ("appId", "environment", "token", "tokenKey", "firstSeenAt", "lastRegisteredAt", "updatedAt")
       VALUES ('a1', 'PRODUCTION', $1, 1, $2, $2, $2)`,
      ["ab".repeat(32), t0],
    );
    for (const [id, status, created] of [
      ["c1", "DRAFT", "2026-11-28T10:00:00.000Z"],
      ["c2", "SENDING", "2026-11-28T11:00:00.000Z"],
    ] as const)
      await sql.execute(
        `INSERT INTO "Campaign" ("id", "appId", "name", "status", "environment", "pushType", "message", "audience", "createdById", "totalCount", "createdAt", "updatedAt")
         VALUES ($1, 'a1', $2, $3, 'PRODUCTION', 'alert', '{"pushType":"alert","body":"Hi"}', '{"all":true}', 'u1', 7, $4, $4)`,
        [id, `Campaign ${id}`, status, at(created)],
      );
    const [{ id: deviceId }] = await sql.query<{ id: number }>(`SELECT "id" FROM "Device"`);
    await sql.execute(
      `INSERT INTO "Delivery" ("kind", "campaignId", "deviceId", "apnsId", "availableAt", "createdAt")
       VALUES ('CAMPAIGN', 'c2', $1, 'apns-1', $2, $2)`,
      [deviceId, t0],
    );
    await sql.close();

    expect(await applyPendingMigrations(empty.config)).toContain(MIGRATION);
    sql = createSqlRunner(empty.config);
    cleanups.unshift(() => sql.close());

    const campaigns = await sql.query<Record<string, unknown>>(
      `SELECT "id", "status", "name", "createdById", "updatedById", "audienceCount", "totalCount", "message", "createdAt"
       FROM "Campaign" ORDER BY "id"`,
    );
    expect(
      campaigns.map((c) => ({
        ...c,
        totalCount: Number(c.totalCount),
        createdAt: toDate(c.createdAt)?.toISOString(),
      })),
    ).toEqual([
      {
        id: "c1",
        status: "DRAFT",
        name: "Campaign c1",
        createdById: "u1",
        updatedById: null,
        audienceCount: null,
        totalCount: 7,
        message: '{"pushType":"alert","body":"Hi"}',
        createdAt: "2026-11-28T10:00:00.000Z",
      },
      {
        id: "c2",
        status: "SENDING",
        name: "Campaign c2",
        createdById: "u1",
        updatedById: null,
        audienceCount: null,
        totalCount: 7,
        message: '{"pushType":"alert","body":"Hi"}',
        createdAt: "2026-11-28T11:00:00.000Z",
      },
    ]);
    expect(await count(sql, "Delivery")).toBe(1);

    // The new tables work and keep their relations: a segment's name is unique per app, a test
    // device goes with its user or its device, authors are set to null when they go.
    const t1 = at("2026-12-02T09:00:00.000Z");
    await sql.execute(
      `INSERT INTO "Segment" ("id", "appId", "name", "audience", "createdById", "updatedAt") VALUES ('s1', 'a1', 'Beta', '{"all":true}', 'u1', $1)`,
      [t1],
    );
    await expect(
      sql.execute(
        `INSERT INTO "Segment" ("id", "appId", "name", "audience", "updatedAt") VALUES ('s2', 'a1', 'Beta', '{}', $1)`,
        [t1],
      ),
    ).rejects.toThrow();
    await sql.execute(
      `INSERT INTO "MessageTemplate" ("id", "name", "pushType", "message", "createdById", "updatedAt") VALUES ('t1', 'Sale', 'alert', '{}', 'u1', $1)`,
      [t1],
    );
    await sql.execute(`INSERT INTO "TestDevice" ("userId", "deviceId") VALUES ('u1', $1)`, [
      deviceId,
    ]);
    await sql.execute(`UPDATE "Campaign" SET "updatedById" = 'u1', "audienceCount" = 3`);
    await sql.execute(`DELETE FROM "User" WHERE "id" = 'u1'`);
    expect(await count(sql, "TestDevice")).toBe(0);
    const authors = await sql.query<{ createdById: string | null; updatedById: string | null }>(
      `SELECT "createdById", "updatedById" FROM "Campaign" UNION ALL SELECT "createdById", NULL FROM "Segment"
       UNION ALL SELECT "createdById", NULL FROM "MessageTemplate"`,
    );
    expect(authors.every((a) => a.createdById === null && a.updatedById === null)).toBe(true);
    await sql.execute(`DELETE FROM "App" WHERE "id" = 'a1'`);
    expect(await count(sql, "Segment")).toBe(0);
    expect(await count(sql, "Campaign")).toBe(0);
  });
});
