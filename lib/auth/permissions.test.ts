import { describe, expect, it } from "vitest";
import { isAuthorized } from "@/lib/access/authorize";
import { can, ROLES } from "./permissions";

describe("apps.read", () => {
  // findApps (lib/apps/find-apps.ts) authorizes with it: every staff role picks an app somewhere
  // (device search, import, API keys, campaigns), while no API key has a use for the list.
  it("is held by every staff role", () => {
    for (const role of ROLES) expect([role, can(role, "apps.read")]).toEqual([role, true]);
  });

  it("is staff-only: no API key scope reaches it", () => {
    const key = { kind: "api-key", id: "k", name: "k", scopes: ["admin"], appId: null } as const;
    expect(isAuthorized(key, { permission: "apps.read" })).toBe(false);
  });
});
