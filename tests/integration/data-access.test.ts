import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor, type Actor } from "@/lib/access/authorize";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/api-keys/manage-api-keys";
import { createApp, getAppByBundleId } from "@/lib/apps/create-app";
import { findApps, findAppSummaries } from "@/lib/apps/find-apps";
import { findAuditEntries } from "@/lib/audit/find-audit-entries";
import { addCredential } from "@/lib/credentials/add-credential";
import { API_SCOPES, ROLES, type Role } from "@/lib/auth/permissions";
import { insertDelivery } from "@/lib/deliveries/insert-delivery";
import { findDeliveries } from "@/lib/deliveries/find-deliveries";
import {
  findDevices,
  getDeliveryTimeline,
  getDeviceByToken,
  getDeviceDetail,
  maskToken,
} from "@/lib/devices";
import { getDeviceTimeline } from "@/lib/devices/device-timeline";
import { tokenKey } from "@/lib/devices/token-key";
import { loadEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { getOverviewStats } from "@/lib/overview/get-overview-stats";
import { sendTestPush } from "@/lib/push/send-test-push";
import { createUser, findUsers } from "@/lib/users/create-user";
import { createApiHarness, MAIN_APP, type ApiHarness } from "./helpers/api-harness";
import { testProvider } from "./helpers/test-database";

// "Every role against every action, allowed and denied" for the data functions themselves
// (docs/data-access.md): each authorizes first, so a refused actor gets FORBIDDEN with nothing
// written, whatever called it. The roles and API scopes that pass are spelled out here, so a change
// to the permission table or to a function's authorize() line shows up as a failure.
let h: ApiHarness;
const staff = new Map<Role, Actor>();
const TOKEN = "ab".repeat(32);
const P8 = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
  .privateKey.export({ format: "pem", type: "pkcs8" })
  .toString();
let deviceId = 0;
let keyId = "";
let n = 0;
const unique = () => `${Date.now().toString(36)}${n++}`;

type Case = {
  roles: Role[];
  scopes?: string[];
  call: (actor: Actor) => Promise<unknown>;
  /** What an allowed call ends in; default "ok". */
  allowed?: string;
};

const ALL: Role[] = ["ADMIN", "MARKETING", "SUPPORT"];
const ADMIN: Role[] = ["ADMIN"];
const SUPPORT: Role[] = ["ADMIN", "SUPPORT"];
const DEVICE_READ = { roles: SUPPORT, scopes: ["devices:read", "admin"] };

/** Module → export → case. Every exported function of these modules is listed or excused. */
const TABLE: Record<string, Record<string, Case>> = {
  "lib/users/create-user.ts": {
    createUser: {
      roles: ADMIN,
      call: (a) =>
        createUser(a, {
          email: `u${unique()}@example.test`,
          name: "U",
          role: "SUPPORT",
          password: "correct horse battery",
        }),
    },
    findUsers: { roles: ADMIN, call: (a) => findUsers(a) },
  },
  "lib/api-keys/manage-api-keys.ts": {
    createApiKey: { roles: ADMIN, call: (a) => createApiKey(a, { name: "k", scopes: ["admin"] }) },
    listApiKeys: { roles: ADMIN, call: (a) => listApiKeys(a) },
    revokeApiKey: { roles: ADMIN, call: (a) => revokeApiKey(a, { id: keyId }) },
  },
  "lib/apps/create-app.ts": {
    createApp: {
      roles: ADMIN,
      call: (a) => createApp(a, { name: "A", bundleId: `com.example.a${unique()}` }),
    },
    getAppByBundleId: { roles: ADMIN, call: (a) => getAppByBundleId(a, MAIN_APP) },
  },
  "lib/apps/find-apps.ts": {
    findApps: { roles: ALL, call: (a) => findApps(a) },
    findAppSummaries: { roles: ADMIN, call: (a) => findAppSummaries(a) },
  },
  "lib/credentials/add-credential.ts": {
    addCredential: {
      roles: ADMIN,
      call: (a) =>
        addCredential(a, {
          kind: "TOKEN",
          // The other app: sendTestPush below relies on the main app having no credential.
          appId: h.apps.other,
          scope: "BOTH",
          keyId: "DATAKEY001",
          teamId: "DATATEAM01",
          privateKeyPem: P8,
        }),
    },
  },
  "lib/audit/find-audit-entries.ts": {
    findAuditEntries: { roles: ADMIN, call: (a) => findAuditEntries(a) },
  },
  "lib/overview/get-overview-stats.ts": {
    getOverviewStats: { roles: ALL, call: (a) => getOverviewStats(a) },
  },
  "lib/deliveries/find-deliveries.ts": {
    findDeliveries: { roles: ALL, call: (a) => findDeliveries(a, {}) },
  },
  "lib/push/send-test-push.ts": {
    // Allowed callers get as far as the credential lookup (the test app has none).
    sendTestPush: {
      roles: SUPPORT,
      allowed: "APNS_UNAVAILABLE",
      call: (a) => sendTestPush(a, { mode: "alert", deviceId, body: "hi" }),
    },
  },
  "lib/devices/index.ts": {
    findDevices: { ...DEVICE_READ, call: (a) => findDevices(a, {}) },
    getDeviceByToken: {
      ...DEVICE_READ,
      call: (a) => getDeviceByToken(a, { app: MAIN_APP, token: TOKEN }),
    },
    getDeviceDetail: { ...DEVICE_READ, call: (a) => getDeviceDetail(a, deviceId) },
    getDeliveryTimeline: { ...DEVICE_READ, call: (a) => getDeliveryTimeline(a, deviceId) },
  },
  "lib/devices/device-timeline.ts": {
    getDeviceTimeline: { ...DEVICE_READ, call: (a) => getDeviceTimeline(a, deviceId) },
  },
};

/** Exports that are not actor-taking data functions, and why. */
const EXCUSED: Record<string, Record<string, string>> = {
  "lib/credentials/add-credential.ts": { toSummary: "pure helper: the safe shape of a row" },
  "lib/devices/index.ts": {
    registerDevice: "write path: tests/integration/devices-*.test.ts",
    registerDevices: "write path: tests/integration/devices-*.test.ts",
    unregisterDevice: "write path: tests/integration/devices-*.test.ts",
    revokeDevice: "write path: tests/integration/devices-*.test.ts",
    maskToken: "pure helper",
    maySeeFullTokens: "the reveal rule itself",
    forgetApps: "cache control after an app changes, no data",
    visibleToken: "the reveal rule itself",
    restrictedAppId: "the app restriction rule itself",
  },
};

const apiKey = (scope: string): Actor => ({
  kind: "api-key",
  id: "k",
  name: "k",
  scopes: [scope],
  appId: null,
});

async function snapshot() {
  const { db } = h.t;

  return Promise.all([
    db.user.count(),
    db.apiKey.count(),
    db.app.count(),
    db.credential.count(),
    db.delivery.count(),
    db.auditLog.count(),
  ]);
}

async function outcome(call: () => Promise<unknown>): Promise<"ok" | string> {
  try {
    await call();

    return "ok";
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
}

beforeAll(async () => {
  // addCredential encrypts: a key of this file's own, not one generated into ./data.
  process.env.PUSHDECK_SECRET_KEY = "data-access-test-secret-long-enough-for-the-key-check";
  loadEnv();
  h = await createApiHarness();
  for (const role of ROLES) {
    const user = await h.t.db.user.create({
      data: { email: `${role.toLowerCase()}@example.test`, name: role, role, passwordHash: "x" },
    });
    staff.set(role, { kind: "user", id: user.id, email: user.email, name: user.name, role });
  }
  const now = new Date();
  const device = await h.t.db.device.create({
    data: {
      appId: h.apps.main,
      environment: "PRODUCTION",
      token: TOKEN,
      tokenKey: tokenKey(TOKEN),
      firstSeenAt: now,
      lastRegisteredAt: now,
      updatedAt: now,
    },
  });
  deviceId = device.id;
  await insertDelivery(
    h.t.sql,
    { kind: "TEST", deviceId, status: "QUEUED", apnsId: crypto.randomUUID(), payload: "{}" },
    now,
  );
  keyId = (await createApiKey(systemActor("test"), { name: "to revoke", scopes: ["admin"] })).apiKey
    .id;
});
afterAll(() => h?.drop());

describe(`data functions authorize every caller on ${testProvider()}`, () => {
  for (const [file, cases] of Object.entries(TABLE)) {
    it(`${file}: every exported data function is in this table`, async () => {
      const mod = (await import(/* @vite-ignore */ `@/${file.replace(/\.ts$/, "")}`)) as Record<
        string,
        unknown
      >;
      const functions = Object.keys(mod).filter((name) => typeof mod[name] === "function");
      expect(functions.sort()).toEqual(
        [...Object.keys(cases), ...Object.keys(EXCUSED[file] ?? {})].sort(),
      );
    });

    for (const [name, c] of Object.entries(cases)) {
      it(`${name}: admin, marketing, support, API keys and SYSTEM, allowed and denied`, async () => {
        const callers: [string, Actor, boolean][] = [
          ...ROLES.map((role): [string, Actor, boolean] => [
            role,
            staff.get(role)!,
            c.roles.includes(role),
          ]),
          ...API_SCOPES.map((scope): [string, Actor, boolean] => [
            `key ${scope}`,
            apiKey(scope),
            (c.scopes ?? []).includes(scope),
          ]),
          ["SYSTEM", systemActor("test"), true],
        ];
        for (const [who, actor, allowed] of callers) {
          const before = await snapshot();
          const result = await outcome(() => c.call(actor));
          if (allowed) {
            expect(result, `${name} as ${who}`).toBe(c.allowed ?? "ok");
          } else {
            expect(result, `${name} as ${who}`).toBe("FORBIDDEN");
            expect(await snapshot(), `${name} as ${who} wrote nothing`).toEqual(before);
          }
        }
      });
    }
  }
});

describe(`one token-reveal rule on ${testProvider()}`, () => {
  it("deliveries show a device's token exactly as the registry shows it, per role", async () => {
    for (const role of ROLES) {
      const actor = staff.get(role)!;
      const { deliveries } = await findDeliveries(actor, {});
      const shown = deliveries.find((d) => d.device.id === deviceId)!.device;
      if (role === "MARKETING") {
        expect(shown).toMatchObject({ token: maskToken(TOKEN), tokenMasked: true });
        continue;
      }
      const { device } = await getDeviceDetail(actor, deviceId);
      expect(shown).toMatchObject({ token: device.token, tokenMasked: device.tokenMasked });
      expect(shown.token).toBe(TOKEN);
    }
  });
});
