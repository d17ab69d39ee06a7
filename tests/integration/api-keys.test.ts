import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "@/lib/access/authorize";
import { API_KEY_CACHE_MS, authenticateApiKey } from "@/lib/api-keys/api-keys";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/api-keys/manage-api-keys";
import { createApiHarness, MAIN_APP, type ApiHarness } from "./helpers/api-harness";
import { testProvider } from "./helpers/test-database";

let h: ApiHarness;
const admin = systemActor("test");
const on = () => ({ db: h.t.db });

beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.drop());

describe(`API keys on ${testProvider()}`, () => {
  it("a key revoked by another process is refused within API_KEY_CACHE_MS", async () => {
    const { key, apiKey } = await createApiKey(
      admin,
      { name: "k", scopes: ["devices:read"] },
      on(),
    );
    const now = Date.now();
    expect(await authenticateApiKey(h.t.sql, key, new Date(now))).not.toBeNull();
    // Another process revokes it: nothing tells this one.
    await h.t.db.apiKey.update({ where: { id: apiKey.id }, data: { revokedAt: new Date() } });
    expect(
      await authenticateApiKey(h.t.sql, key, new Date(now + API_KEY_CACHE_MS - 1)),
    ).not.toBeNull();
    expect(await authenticateApiKey(h.t.sql, key, new Date(now + API_KEY_CACHE_MS + 1))).toBeNull();
  });

  it("creates a key shown once and stored hashed; lists it; revokes it (audited, idempotent)", async () => {
    const { key, apiKey } = await createApiKey(
      admin,
      { name: "backend", scopes: ["devices:write", "devices:read"], app: MAIN_APP },
      on(),
    );
    expect(key).toMatch(/^pd_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}$/);
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    const stored = await h.t.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(stored.hash).not.toContain(key.slice(12));
    expect(JSON.stringify(await listApiKeys(admin, {}, on()))).not.toContain(key);
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
    const listed = (await listApiKeys(admin, {}, on())).find((k) => k.id === apiKey.id)!;
    expect(listed).toMatchObject({
      name: "backend",
      prefix: apiKey.prefix,
      app: { bundleId: MAIN_APP },
      revokedAt: null,
    });
    await revokeApiKey(admin, { id: apiKey.prefix }, on());
    await revokeApiKey(admin, { id: apiKey.id }, on());
    expect(await authenticateApiKey(h.t.sql, key)).toBeNull();
    expect(
      await h.t.db.auditLog.count({
        where: { targetId: apiKey.id, action: { in: ["api-key.create", "api-key.revoke"] } },
      }),
    ).toBe(3);
    expect(
      (await listApiKeys(admin, { includeRevoked: false }, on())).some((k) => k.id === apiKey.id),
    ).toBe(false);
  });

  it("refuses unknown scopes, an unknown app and an empty name", async () => {
    await expect(
      createApiKey(admin, { name: "x", scopes: ["devices:everything" as "admin"] }, on()),
    ).rejects.toThrow();
    await expect(
      createApiKey(admin, { name: "x", scopes: ["admin"], app: "com.nope" }, on()),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(createApiKey(admin, { name: " ", scopes: ["admin"] }, on())).rejects.toThrow();
    await expect(revokeApiKey(admin, { id: "pd_missing0" }, on())).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
