import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiKeyPrincipal, StaffPrincipal } from "@/lib/auth/guard";
import {
  findDevices,
  getDeliveryTimeline,
  getDeviceDetail,
  registerDevices,
  revokeDevice,
} from "@/lib/devices";
import { maskToken } from "@/lib/devices/mask-token";
import {
  createApiHarness,
  MAIN_APP,
  OTHER_APP,
  randomToken,
  type ApiHarness,
} from "./helpers/api-harness";
import { testProvider } from "./helpers/test-database";

let h: ApiHarness;
const api: ApiKeyPrincipal = {
  kind: "api-key",
  id: "k",
  name: "k",
  scopes: ["admin"],
  appId: null,
};
const support: StaffPrincipal = {
  kind: "user",
  id: "s",
  email: "s@x.test",
  name: "S",
  role: "SUPPORT",
};
const marketing: StaffPrincipal = { ...support, role: "MARKETING" };
const tokens = Array.from({ length: 40 }, (_, i) => `${i < 20 ? "ab" : "cd"}${randomToken(31)}`);

beforeAll(async () => {
  h = await createApiHarness();
  await registerDevices(
    api,
    tokens.map((token, i) => ({
      app: i % 4 ? MAIN_APP : OTHER_APP,
      token,
      environment: "production",
      userId: `user-${i % 5}`,
      tags: i % 3 ? [] : ["vip"],
    })),
  );
});
afterAll(() => h?.drop());

async function all(search: Parameters<typeof findDevices>[1], principal = api) {
  const out = [];
  let cursor: string | undefined;
  do {
    const page = await findDevices(principal, { ...search, limit: 7, cursor });
    out.push(...page.devices);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);

  return out;
}

describe(`findDevices on ${testProvider()}`, () => {
  it("searches by user id, token, token prefix and tag, paging through every match once", async () => {
    expect((await all({ userId: "user-1" })).map((d) => d.token).sort()).toEqual(
      tokens.filter((_, i) => i % 5 === 1).sort(),
    );
    expect((await all({ token: tokens[3].toUpperCase() })).map((d) => d.token)).toEqual([
      tokens[3],
    ]);
    const prefixed = await all({ tokenPrefix: "AB" });
    expect(prefixed.map((d) => d.token)).toEqual(tokens.slice(0, 20).sort());
    expect((await all({ tokenPrefix: tokens[7].slice(0, 10) })).map((d) => d.token)).toEqual([
      tokens[7],
    ]);
    expect((await all({ tag: "vip" })).length).toBe(tokens.filter((_, i) => i % 3 === 0).length);
    expect(
      (await all({ tag: "vip", app: OTHER_APP })).every(
        (d) => d.app === OTHER_APP && d.tags.includes("vip"),
      ),
    ).toBe(true);
  });

  it("pages once through tokens that share their tokenKey (first 13 digits), past 13 digits too", async () => {
    const head = "ef01234567890";
    const siblings = Array.from({ length: 9 }, () => head + randomToken(32).slice(13));
    // The same token in the other app is another device with the same key.
    await registerDevices(api, [
      ...siblings.map((token) => ({ app: MAIN_APP, token, environment: "production" })),
      { app: OTHER_APP, token: siblings[0], environment: "production" },
    ]);
    const found = await all({ tokenPrefix: head.slice(0, 12) });
    expect(found).toHaveLength(10);
    expect(new Set(found.map((d) => d.id)).size).toBe(10);
    expect(found.map((d) => d.token).sort()).toEqual([...siblings, siblings[0]].sort());
    const longer = siblings[4].slice(0, 20);
    expect((await all({ tokenPrefix: longer })).map((d) => d.token)).toEqual(
      siblings.filter((t) => t.startsWith(longer)),
    );
    expect((await all({ token: siblings[0] })).map((d) => d.app).sort()).toEqual(
      [MAIN_APP, OTHER_APP].sort(),
    );
    const firstPage = await findDevices(api, { tokenPrefix: head, limit: 3 });
    expect(firstPage.nextCursor).toMatch(/^t:\d+$/);
  });

  it("an app-restricted key sees only its app; marketing may not search; masking hides tokens", async () => {
    const restricted = { ...api, appId: h.apps.other };
    expect((await all({ tokenPrefix: "ab" }, restricted)).every((d) => d.app === OTHER_APP)).toBe(
      true,
    );
    await expect(findDevices(marketing, {})).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await findDevices(support, { token: tokens[0] })).devices[0]).toMatchObject({
      token: tokens[0],
      tokenMasked: false,
    });
    expect(maskToken(tokens[0])).toBe(`${tokens[0].slice(0, 6)}…${tokens[0].slice(-6)}`);
  });

  it("device detail: history and delivery timeline, newest first; staff revoke is audited", async () => {
    const [device] = (await findDevices(support, { token: tokens[1] })).devices;
    await revokeDevice(support, device.id, "lost phone");
    const detail = await getDeviceDetail(support, device.id);
    expect(detail.device.status).toBe("revoked");
    expect(detail.events.map((e) => e.kind)).toEqual(["REVOKED", "REGISTERED"]);
    expect(
      await h.t.db.auditLog.count({
        where: { action: "device.revoke", targetId: String(device.id) },
      }),
    ).toBe(1);
    const times = [3, 1, 2].map((m) => new Date(Date.UTC(2026, 0, 1, 0, m)));
    for (const createdAt of times) {
      await h.t.db.delivery.create({
        data: {
          kind: "TEST",
          deviceId: device.id,
          apnsId: `id-${createdAt.getTime()}`,
          availableAt: createdAt,
          createdAt,
          status: "ACCEPTED",
          apnsStatus: 200,
        },
      });
    }
    const first = await getDeliveryTimeline(support, device.id, { limit: 2 });
    const rest = await getDeliveryTimeline(support, device.id, {
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect([...first.deliveries, ...rest.deliveries].map((d) => d.createdAt)).toEqual(
      [times[0], times[2], times[1]].map((t) => t.toISOString()),
    );
    expect(rest.nextCursor).toBeNull();
  });
});
