import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor, type Actor } from "@/lib/access/authorize";
import type { ApiKeyPrincipal } from "@/lib/auth/guard";
import { countAudience } from "@/lib/campaigns/audience";
import { registerDevices } from "@/lib/devices/register-devices";
import { tokenKey } from "@/lib/devices/token-key";
import { revokeDevice } from "@/lib/devices/unregister-device";
import { upsertDevices, type DeviceRow } from "@/lib/devices/upsert-devices";
import type { SqlRunner } from "@/lib/db/sql";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

// Device.registeredDay, the UTC day audiences count "registered within N days" by
// (docs/audiences.md): every registration path keeps it, and on PostgreSQL a refresh on the same
// day stays a HOT update although the audience index holds the column.
const provider = testProvider();
const APP = "com.example.days";
const DAY = 86_400_000;
const api: ApiKeyPrincipal = {
  kind: "api-key",
  id: "key-days",
  name: "days",
  scopes: ["devices:write", "devices:read"],
  appId: null,
};
const actor = systemActor("test") as Actor;
let t: TestDatabase;
let appId = "";

beforeAll(async () => {
  t = await createTestDatabase();
  appId = (await t.db.app.create({ data: { name: "Days", bundleId: APP } })).id;
});
afterAll(() => t?.drop());

const newToken = () => randomBytes(32).toString("hex");
const register = (tokens: string[], now: Date) =>
  registerDevices(
    api,
    tokens.map((token) => ({ app: APP, token, environment: "production", locale: "fr_FR" })),
    { sql: t.sql, now },
  );
const dayOf = (iso: string) => Math.floor(Date.parse(iso) / DAY);
async function days(tokens: string[]) {
  const rows = await t.sql.query<{ token: string; registeredDay: number | string }>(
    `SELECT "token", "registeredDay" FROM "Device" WHERE "appId" = $1`,
    [appId],
  );
  const byToken = new Map(rows.map((r) => [r.token, Number(r.registeredDay)]));

  return tokens.map((token) => byToken.get(token));
}
const within = (registeredWithinDays: number, now: Date) =>
  countAudience(
    actor,
    { appId, environment: "production", audience: { locales: ["fr"], registeredWithinDays } },
    { sql: t.sql, now },
  ).then((r) => r.count);

describe(`registeredDay on ${provider}`, () => {
  it("is the UTC day of every registration: new, refreshed (single and batch) and reactivated", async () => {
    const [a, b, c] = [newToken(), newToken(), newToken()];
    const lastMinute = "2026-11-10T23:59:59.999Z";
    await register([a], new Date(lastMinute));
    expect(await days([a])).toEqual([dayOf(lastMinute)]);

    // A batch of one known device and two new ones, just after midnight.
    const nextDay = "2026-11-11T00:00:00.001Z";
    await register([a, b, c], new Date(nextDay));
    expect(await days([a, b, c])).toEqual([dayOf(nextDay), dayOf(nextDay), dayOf(nextDay)]);

    // Revoked, then registered again a week later: reactivated, and its day moves.
    const [{ id }] = await t.sql.query<{ id: number }>(
      `SELECT "id" FROM "Device" WHERE "token" = $1`,
      [c],
    );
    await revokeDevice(
      { kind: "user", id: "u", email: "u@example.test", name: "U", role: "ADMIN" },
      Number(id),
      "test",
      { sql: t.sql, now: new Date("2026-11-12T08:00:00.000Z") },
    );
    const later = "2026-11-18T09:30:00.000Z";
    const [reactivated] = (await register([c], new Date(later))).results;
    expect(reactivated).toMatchObject({ status: 200 });
    expect(await days([a, b, c])).toEqual([dayOf(nextDay), dayOf(nextDay), dayOf(later)]);

    // What the count sees: "within 1 day" on 19 November takes the 18th and the 19th.
    const now = new Date("2026-11-19T20:00:00.000Z");
    expect(await within(1, now)).toBe(1);
    expect(await within(7, now)).toBe(1);
    expect(await within(8, now)).toBe(3);
    await register([a], now);
    expect(await within(1, now)).toBe(2);
  });

  it.runIf(provider === "postgresql")(
    "keeps a same-day refresh a HOT update; only the first refresh of a day writes the indexes",
    async () => {
      const token = newToken();
      const row: DeviceRow = {
        appId,
        environment: "PRODUCTION",
        token,
        tokenKey: tokenKey(token),
        userId: "user-hot",
        locale: "de_DE",
        timeZone: null,
        appVersion: "1.0",
        osVersion: "18.1",
        model: null,
        attributes: null,
        tags: null,
      };
      await t.sql.transaction((tx) =>
        upsertDevices(tx, [row], new Date("2026-11-20T08:00:00.000Z"), "test"),
      );
      // The backend's counters (pg_stat_get_xact_*: not yet flushed, so read before and after the
      // statement, in one transaction): how its update was written.
      const counters = async (tx: SqlRunner) => {
        const [n] = await tx.query<{ updated: string; hot: string }>(
          `SELECT pg_stat_get_xact_tuples_updated('"Device"'::regclass) AS "updated",
                  pg_stat_get_xact_tuples_hot_updated('"Device"'::regclass) AS "hot"`,
        );

        return { updated: Number(n.updated), hot: Number(n.hot) };
      };
      const refresh = (at: string) =>
        t.sql.transaction(async (tx) => {
          const before = await counters(tx);
          const [result] = await upsertDevices(tx, [row], new Date(at), "test");
          expect(result.kind).toBe("refreshed");
          const after = await counters(tx);

          return { updated: after.updated - before.updated, hot: after.hot - before.hot };
        });
      expect(await refresh("2026-11-20T09:00:00.000Z")).toEqual({ updated: 1, hot: 1 });
      expect(await refresh("2026-11-20T23:00:00.000Z")).toEqual({ updated: 1, hot: 1 });
      expect(await refresh("2026-11-21T07:00:00.000Z")).toEqual({ updated: 1, hot: 0 });
      expect(await refresh("2026-11-21T08:00:00.000Z")).toEqual({ updated: 1, hot: 1 });
    },
  );
});
