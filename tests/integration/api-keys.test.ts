import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateApiKey } from "@/lib/api-keys/api-keys";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/api-keys/manage-api-keys";
import { createApiHarness, MAIN_APP, type ApiHarness } from "./helpers/api-harness";
import { testProvider } from "./helpers/test-database";

let h: ApiHarness;
const admin = { type: "SYSTEM" as const, label: "test" };

beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.drop());

describe(`API keys on ${testProvider()}`, () => {
  it("creates a key shown once and stored hashed; lists it; revokes it (audited, idempotent)", async () => {
    const { key, apiKey } = await createApiKey(h.t.db, admin, {
      name: "backend",
      scopes: ["devices:write", "devices:read"],
      app: MAIN_APP,
    });
    expect(key).toMatch(/^pd_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}$/);
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    const stored = await h.t.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(stored.hash).not.toContain(key.slice(12));
    expect(JSON.stringify(await listApiKeys(h.t.db))).not.toContain(key);
    const principal = await authenticateApiKey(h.t.sql, key);
    expect(principal).toMatchObject({
      kind: "api-key",
      scopes: ["devices:write", "devices:read"],
      appId: h.apps.main,
    });
    expect(await authenticateApiKey(h.t.sql, key)).toEqual(principal);
    expect(
      (await h.t.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt,
    ).not.toBeNull();
    const listed = (await listApiKeys(h.t.db)).find((k) => k.id === apiKey.id)!;
    expect(listed).toMatchObject({
      name: "backend",
      prefix: apiKey.prefix,
      app: { bundleId: MAIN_APP },
      revokedAt: null,
    });
    await revokeApiKey(h.t.db, admin, apiKey.prefix);
    await revokeApiKey(h.t.db, admin, apiKey.id);
    expect(await authenticateApiKey(h.t.sql, key)).toBeNull();
    expect(
      await h.t.db.auditLog.count({
        where: { targetId: apiKey.id, action: { in: ["api-key.create", "api-key.revoke"] } },
      }),
    ).toBe(3);
    expect(
      (await listApiKeys(h.t.db, { includeRevoked: false })).some((k) => k.id === apiKey.id),
    ).toBe(false);
  });

  it("refuses unknown scopes, an unknown app and an empty name", async () => {
    await expect(
      createApiKey(h.t.db, admin, { name: "x", scopes: ["devices:everything" as "admin"] }),
    ).rejects.toThrow();
    await expect(
      createApiKey(h.t.db, admin, { name: "x", scopes: ["admin"], app: "com.nope" }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(createApiKey(h.t.db, admin, { name: " ", scopes: ["admin"] })).rejects.toThrow();
    await expect(revokeApiKey(h.t.db, admin, "pd_missing0")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
