import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "@/lib/access/authorize";
import type { ApiKeyPrincipal, StaffPrincipal } from "@/lib/auth/guard";
import {
  countAudience,
  findAudienceDeviceIds,
  type AudienceTargetInput,
} from "@/lib/campaigns/audience";
import type { AudienceInput } from "@/lib/campaigns/audience-schema";
import { tokenKey } from "@/lib/devices/token-key";
import { registeredDayOf } from "@/lib/devices/upsert-devices";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

// Every segment field alone and in combinations: the count, the ids the dispatcher will target
// (paged through the keyset) and the set this file computes from the fixture all agree.
const NOW = new Date("2026-12-01T12:00:00Z");
const DAY = 86_400_000;
const LOCALES = [
  "fr",
  "fr-CA",
  "fr_FR",
  "FR_be",
  "fra",
  "en_US",
  "en",
  "de-DE",
  null,
  "fr_CA@rg=uszzzz",
];
const TAGS = [[], ["beta"], ["vip"], ["beta", "vip"], ["beta", "vip", "churn"], ["churn"]];

type Fixture = {
  id: number;
  app: "main" | "other";
  environment: "PRODUCTION" | "SANDBOX";
  status: "ACTIVE" | "INVALID" | "REVOKED";
  token: string;
  userId: string | null;
  locale: string | null;
  appVersion: string;
  osVersion: string;
  timeZone: string;
  daysAgo: number;
  /** Hours before NOW's time of day: 0–23, so some registrations fall on the day before. */
  hoursAgo: number;
  tags: string[];
};

let t: TestDatabase;
const apps = { main: "", other: "" };
const fixtures: Fixture[] = [];
const actor = systemActor("test");
const SPEC = (n: number) => ({
  app: n % 11 === 5 ? ("other" as const) : ("main" as const),
  environment: n % 13 === 4 ? ("SANDBOX" as const) : ("PRODUCTION" as const),
  status:
    n % 17 === 3 ? ("INVALID" as const) : n % 19 === 2 ? ("REVOKED" as const) : ("ACTIVE" as const),
  token: (n * 7919).toString(16).padStart(8, "0").repeat(8),
  userId: n % 7 === 0 ? null : `user-${n % 23}`,
  locale: LOCALES[n % LOCALES.length],
  appVersion: `2.${n % 3}`,
  osVersion: `18.${n % 4}`,
  timeZone: ["Europe/Paris", "America/New_York", "Asia/Tokyo"][n % 3],
  daysAgo: (n * 5) % 40,
  hoursAgo: (n * 7) % 24,
  tags: TAGS[n % TAGS.length],
});

beforeAll(async () => {
  t = await createTestDatabase();
  apps.main = (await t.db.app.create({ data: { name: "Main", bundleId: "com.example.main" } })).id;
  apps.other = (await t.db.app.create({ data: { name: "Other", bundleId: "com.example.o" } })).id;
  for (let n = 1; n <= 150; n++) {
    const spec = SPEC(n);
    const at = registeredAt(spec);
    const device = await t.db.device.create({
      data: {
        appId: apps[spec.app],
        environment: spec.environment,
        status: spec.status,
        token: spec.token,
        tokenKey: tokenKey(spec.token),
        userId: spec.userId,
        locale: spec.locale,
        appVersion: spec.appVersion,
        osVersion: spec.osVersion,
        timeZone: spec.timeZone,
        firstSeenAt: at,
        lastRegisteredAt: at,
        registeredDay: registeredDayOf(at),
        updatedAt: at,
        tags: { create: spec.tags.map((tag) => ({ tag })) },
      },
    });
    fixtures.push({ id: device.id, ...spec });
  }
});
afterAll(() => t?.drop());

const registeredAt = (f: { daysAgo: number; hoursAgo: number }) =>
  new Date(NOW.getTime() - f.daysAgo * DAY - f.hoursAgo * 3_600_000);

// The documented recency rule (docs/audiences.md), by calendar: the UTC date of the last
// registration is at least the UTC date N × 24 h ago.
function registeredWithin(f: Fixture, days: number) {
  const date = (d: Date) => d.toISOString().slice(0, 10);

  return date(registeredAt(f)) >= date(new Date(NOW.getTime() - days * DAY));
}

// The documented locale rule (docs/audiences.md), written independently of the SQL.
function localeMatches(device: string | null, wanted: string) {
  if (!device) return false;
  const d = device.toLowerCase().replace(/_/g, "-").split("@")[0];
  const w = wanted.toLowerCase().replace(/_/g, "-");

  return d === w || d.startsWith(`${w}-`);
}

function expected(audience: AudienceInput, app: "main" | "other" = "main", env = "PRODUCTION") {
  const a = audience as Exclude<AudienceInput, { all: true }>;
  const has = (f: Fixture, tag: string) => f.tags.includes(tag);

  return fixtures
    .filter((f) => f.app === app && f.environment === env && f.status === "ACTIVE")
    .filter((f) => !a.tags?.any?.length || a.tags.any.some((tag) => has(f, tag)))
    .filter((f) => (a.tags?.all ?? []).every((tag) => has(f, tag)))
    .filter((f) => !(a.tags?.none ?? []).some((tag) => has(f, tag)))
    .filter((f) => !a.locales?.length || a.locales.some((l) => localeMatches(f.locale, l)))
    .filter((f) => !a.appVersions?.length || a.appVersions.includes(f.appVersion))
    .filter((f) => !a.osVersions?.length || a.osVersions.includes(f.osVersion))
    .filter((f) => !a.timeZones?.length || a.timeZones.includes(f.timeZone))
    .filter((f) => !a.registeredWithinDays || registeredWithin(f, a.registeredWithinDays))
    .filter((f) => !a.userIds?.length || (f.userId !== null && a.userIds.includes(f.userId)))
    .filter((f) => !a.tokens?.length || a.tokens.some((tk) => tk.toLowerCase() === f.token))
    .map((f) => f.id)
    .sort((x, y) => x - y);
}

async function target(
  input: AudienceTargetInput,
  who = actor as Parameters<typeof countAudience>[0],
) {
  const { count } = await countAudience(who, input, { sql: t.sql, now: NOW });
  const ids: number[] = [];
  let afterId: number | undefined;
  for (;;) {
    const page = await findAudienceDeviceIds(who, input, {
      sql: t.sql,
      now: NOW,
      afterId,
      limit: 7,
    });
    ids.push(...page.ids);
    if (page.nextAfterId === null) break;
    afterId = page.nextAfterId;
  }

  return { count, ids };
}

const CASES: Record<string, AudienceInput> = {
  all: { all: true },
  "tags any": { tags: { any: ["beta", "churn"] } },
  "tags all": { tags: { all: ["beta", "vip"] } },
  "tags none": { tags: { none: ["vip"] } },
  "tags any + all + none": { tags: { any: ["vip", "churn"], all: ["beta"], none: ["churn"] } },
  "locale language": { locales: ["fr"] },
  "locale with region": { locales: ["fr-CA", "fr_BE"] },
  "locales, one matching nothing": { locales: ["en", "pt"] },
  "a language and a region of another": { locales: ["en", "fr-CA"] },
  "app versions": { appVersions: ["2.1", "9.9"] },
  "OS versions": { osVersions: ["18.0", "18.3"] },
  "time zones": { timeZones: ["Asia/Tokyo"] },
  "registered within 10 days": { registeredWithinDays: 10 },
  "registered within 1 day": { registeredWithinDays: 1 },
  "user ids": { userIds: ["user-1", "user-4", "nobody"] },
  tokens: { tokens: [SPEC(8).token.toUpperCase(), SPEC(9).token, SPEC(5).token, "ab".repeat(32)] },
  "tags + locale + registered within": {
    tags: { any: ["beta"] },
    locales: ["fr"],
    registeredWithinDays: 21,
  },
  "everything at once": {
    tags: { any: ["beta", "vip"], none: ["churn"] },
    locales: ["fr", "en"],
    appVersions: ["2.0", "2.1"],
    osVersions: ["18.0", "18.1", "18.2"],
    timeZones: ["Europe/Paris", "America/New_York"],
    registeredWithinDays: 30,
    userIds: ["user-1", "user-2", "user-3", "user-5", "user-8", "user-13"],
  },
};

describe(`audiences on ${testProvider()}`, () => {
  for (const [name, audience] of Object.entries(CASES))
    it(`${name}: count = targeted ids = expected set`, async () => {
      const want = expected(audience);
      const got = await target({ appId: apps.main, environment: "production", audience });
      expect(got.ids).toEqual(want);
      expect(got.count).toBe(want.length);
      expect(want.length).toBeGreaterThan(0); // a case that matches nothing proves little
    });

  it("selects only the app and environment asked for (by bundle id too)", async () => {
    for (const [app, env] of [
      ["other", "PRODUCTION"],
      ["main", "SANDBOX"],
    ] as const) {
      const audience = { tags: { any: ["beta", "vip"] } };
      const got = await target({
        app: app === "main" ? "com.example.main" : "com.example.o",
        environment: env === "SANDBOX" ? "sandbox" : "production",
        audience,
      });
      expect(got.ids).toEqual(expected(audience, app, env));
    }
  });

  it("leaves out invalid and revoked devices even when named by token", async () => {
    const dead = fixtures.filter((f) => f.status !== "ACTIVE" && f.app === "main");
    expect(dead.length).toBeGreaterThan(3);
    const got = await target({
      appId: apps.main,
      environment: "production",
      audience: { tokens: dead.map((f) => f.token) },
    });
    expect(got).toEqual({ count: 0, ids: [] });
  });

  it("takes 100,000 pasted user ids and tokens in one statement (past both parameter limits)", async () => {
    const userIds = Array.from({ length: 99_990 }, (_, i) => `pasted-${i}`).concat("user-4");
    const tokens = Array.from({ length: 99_990 }, (_, i) => i.toString(16).padStart(64, "e"));
    tokens.push(SPEC(4).token, SPEC(27).token);
    const audience = { userIds, tokens };
    const got = await target({ appId: apps.main, environment: "production", audience });
    expect(got.ids).toEqual(expected(audience));
    expect(got.count).toBe(expected(audience).length);
  });

  it("counts registrations by whole UTC days: N days back from today's date, not N × 24 h", async () => {
    // NOW is 12:00 UTC: a device last registered 10 days and 5 hours ago (07:00 that day) is in
    // "within 10 days"; one 11 days ago is not. N × 24 h would have left the first out.
    const edge = fixtures.filter((f) => f.app === "main" && f.environment === "PRODUCTION");
    const inside = edge.find(
      (f) => f.status === "ACTIVE" && f.daysAgo === 10 && f.hoursAgo > 0 && f.hoursAgo <= 12,
    );
    expect(inside).toBeDefined();
    const audience = { registeredWithinDays: 10 };
    const got = await target({ appId: apps.main, environment: "production", audience });
    expect(got.ids).toContain(inside!.id);
    expect(got.ids.every((id) => fixtures.find((f) => f.id === id)!.daysAgo <= 10)).toBe(true);
  });

  it("is for campaign readers only; an app-bound key reaches only its app", async () => {
    const support: StaffPrincipal = {
      kind: "user",
      id: "s",
      email: "s@x.test",
      name: "S",
      role: "SUPPORT",
    };
    const input = { appId: apps.main, environment: "production", audience: { all: true } } as const;
    await expect(countAudience(support, input, { sql: t.sql })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const key: ApiKeyPrincipal = {
      kind: "api-key",
      id: "k",
      name: "k",
      scopes: ["campaigns:read"],
      appId: apps.other,
    };
    await expect(countAudience(key, input, { sql: t.sql })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      countAudience(key, { ...input, appId: undefined, app: "com.example.main" }, { sql: t.sql }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(
      (await countAudience(key, { ...input, appId: apps.other }, { sql: t.sql, now: NOW })).count,
    ).toBe(expected({ all: true }, "other").length);
    await expect(
      countAudience(
        { ...key, scopes: ["devices:read"] },
        { ...input, appId: apps.other },
        { sql: t.sql },
      ),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
