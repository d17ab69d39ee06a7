import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isAllowed, type Access, type Principal } from "@/lib/auth/guard";
import { API_SCOPES, ROLES } from "@/lib/auth/permissions";

// Every server action and route handler must go through the one permission wrapper with the access
// listed here; a new action or route without an entry fails this suite. For each, the roles and API
// scopes that may call it are spelled out, so a change to the permission table shows up here too.
process.env.PUSHDECK_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "pushdeck-access-"));

type Expected =
  { public: string } | { access: Access; roles: string[]; scopes?: string[]; inline?: boolean };
const STAFF = ["ADMIN", "SUPPORT"];
const CAMPAIGNERS = ["ADMIN", "MARKETING"];

const ACTIONS: Record<string, Record<string, Expected>> = {
  "app/(auth)/login/actions.ts": { loginAction: { public: "signing in is how a session starts" } },
  "app/(dashboard)/actions.ts": { signOutAction: { public: "ends the caller's own session" } },
  "app/(dashboard)/campaigns/actions.ts": {
    ...Object.fromEntries(
      [
        "createCampaignAction",
        "updateCampaignAction",
        "duplicateCampaignAction",
        "deleteCampaignAction",
        "countAudienceAction",
        "saveSegmentAction",
        "findSegmentsAction",
        "saveTemplateAction",
        "addTestDeviceAction",
        "removeTestDeviceAction",
        "sendCampaignTestAction",
      ].map((name) => [name, { access: { permission: "campaigns.write" }, roles: CAMPAIGNERS }]),
    ),
    ...Object.fromEntries(
      ["scheduleCampaignAction", "unscheduleCampaignAction"].map((name) => [
        name,
        { access: { permission: "campaigns.send" }, roles: CAMPAIGNERS },
      ]),
    ),
  },
  "app/(dashboard)/devices/actions.ts": {
    sendTestPushAction: { access: { permission: "devices.test-push" }, roles: STAFF },
    revokeDeviceAction: { access: { permission: "devices.write" }, roles: STAFF },
  },
  "lib/api-keys/actions.ts": Object.fromEntries(
    ["createApiKeyAction", "listApiKeysAction", "revokeApiKeyAction"].map((name) => [
      name,
      { access: { permission: "api-keys.manage" }, roles: ["ADMIN"] },
    ]),
  ),
};

const read = { permission: "devices.read", scope: "devices:read" } as const;
const write = { permission: "devices.write", scope: "devices:write" } as const;
// Campaigns: marketing and admin; sending decisions need campaigns.send, which API keys reach
// through campaigns:write.
const MARKETING = ["ADMIN", "MARKETING"];
const campaignsRead = { permission: "campaigns.read", scope: "campaigns:read" } as const;
const campaignsWrite = { permission: "campaigns.write", scope: "campaigns:write" } as const;
const campaignsSend = { permission: "campaigns.send", scope: "campaigns:write" } as const;
const ROUTES: Record<string, Record<string, Expected>> = {
  "app/api/auth/[...nextauth]/route.ts": {
    GET: { public: "next-auth" },
    POST: { public: "next-auth" },
  },
  "app/api/health/route.ts": { GET: { public: "liveness for load balancers" } },
  "app/api/v1/openapi.json/route.ts": { GET: { public: "the API's public description" } },
  "app/api/v1/devices/route.ts": {
    POST: { access: write, roles: STAFF, scopes: ["devices:write", "admin"] },
  },
  "app/api/v1/devices/batch/route.ts": {
    POST: { access: write, roles: STAFF, scopes: ["devices:write", "admin"] },
  },
  "app/api/v1/devices/[token]/route.ts": {
    GET: { access: read, roles: STAFF, scopes: ["devices:read", "admin"] },
    DELETE: { access: write, roles: STAFF, scopes: ["devices:write", "admin"] },
  },
  "app/api/v1/users/[userId]/devices/route.ts": {
    GET: { access: read, roles: STAFF, scopes: ["devices:read", "admin"] },
  },
  "app/api/v1/campaigns/route.ts": {
    POST: { access: campaignsWrite, roles: MARKETING, scopes: ["campaigns:write", "admin"] },
    GET: { access: campaignsRead, roles: MARKETING, scopes: ["campaigns:read", "admin"] },
  },
  "app/api/v1/campaigns/[id]/route.ts": {
    GET: { access: campaignsRead, roles: MARKETING, scopes: ["campaigns:read", "admin"] },
    PATCH: { access: campaignsWrite, roles: MARKETING, scopes: ["campaigns:write", "admin"] },
  },
  "app/api/v1/campaigns/[id]/schedule/route.ts": {
    POST: { access: campaignsSend, roles: MARKETING, scopes: ["campaigns:write", "admin"] },
  },
  "app/api/v1/campaigns/[id]/cancel/route.ts": {
    POST: { access: campaignsSend, roles: MARKETING, scopes: ["campaigns:write", "admin"] },
  },
  "app/api/v1/campaigns/audience-count/route.ts": {
    POST: { access: campaignsRead, roles: MARKETING, scopes: ["campaigns:read", "admin"] },
  },
  "app/(dashboard)/devices/export/route.ts": {
    GET: { access: { permission: "devices.export" }, roles: STAFF, inline: true },
  },
  "app/(dashboard)/devices/import/upload/route.ts": {
    POST: { access: { permission: "devices.import" }, roles: ["ADMIN"], inline: true },
  },
};

const staff = (role: (typeof ROLES)[number]): Principal => ({
  kind: "user",
  id: "u",
  email: "u@example.test",
  name: "U",
  role,
});
const key = (scope: string): Principal => ({
  kind: "api-key",
  id: "k",
  name: "k",
  scopes: [scope],
  appId: null,
});

function checkEntries(
  kind: string,
  files: string[],
  table: Record<string, Record<string, Expected>>,
) {
  it(`lists every ${kind} file`, () => {
    expect(files.sort()).toEqual(Object.keys(table).sort());
  });
  for (const file of Object.keys(table)) {
    it(`${file}: each export is guarded as listed, for every role and scope`, async () => {
      const mod = (await import(/* @vite-ignore */ path.resolve(file))) as Record<string, unknown>;
      const handlers = Object.entries(mod).filter(([, value]) => typeof value === "function");
      expect(handlers.map(([name]) => name).sort()).toEqual(Object.keys(table[file]).sort());
      for (const [name, handler] of handlers) {
        const expected = table[file][name];
        if ("public" in expected) continue;
        if (expected.inline) {
          const source = readFileSync(file, "utf8");
          expect(source).toContain("runGuarded(");
          expect(source).toContain(`permission: "${expected.access.permission}"`);
        } else {
          expect((handler as { access?: Access }).access, `${file} ${name}`).toEqual(
            expected.access,
          );
        }
        for (const role of ROLES)
          expect(isAllowed(staff(role), expected.access), `${name} as ${role}`).toBe(
            expected.roles.includes(role),
          );
        for (const scope of API_SCOPES)
          expect(isAllowed(key(scope), expected.access), `${name} with ${scope}`).toBe(
            (expected.scopes ?? []).includes(scope),
          );
      }
    });
  }
}

function findFiles(dir: string, name: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && entry.name === name && !entry.parentPath.includes("generated"),
    )
    .map((entry) => path.relative(process.cwd(), path.join(entry.parentPath, entry.name)));
}

describe("access registry", () => {
  const actionFiles = [...findFiles("app", "actions.ts"), ...findFiles("lib", "actions.ts")];
  const routeFiles = findFiles("app", "route.ts");
  checkEntries("server action", actionFiles, ACTIONS);
  checkEntries("route handler", routeFiles, ROUTES);
});
