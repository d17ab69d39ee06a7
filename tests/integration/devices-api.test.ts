import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as devices from "@/app/api/v1/devices/route";
import * as byToken from "@/app/api/v1/devices/[token]/route";
import * as userDevices from "@/app/api/v1/users/[userId]/devices/route";
import {
  deviceResponseSchema,
  devicePageResponseSchema,
  problemSchema,
  registrationResponseSchema,
} from "@/lib/openapi/response-schemas";
import {
  call,
  createApiHarness,
  MAIN_APP,
  OTHER_APP,
  randomToken,
  registrySnapshot,
  type ApiHarness,
} from "./helpers/api-harness";
import { testProvider } from "./helpers/test-database";

// Without an Authorization header apiRoute asks the staff session (next-auth, which needs Next's
// request scope); here there is no session cookie, so the session lookup answers "nobody".
vi.mock("@/lib/auth/session", () => ({ getActor: async () => null }));

let h: ApiHarness;
let writer: string;
let reader: string;

beforeAll(async () => {
  h = await createApiHarness();
  writer = await h.key(["devices:write"]);
  reader = await h.key(["devices:read"]);
});
afterAll(() => h?.drop());

const register = (body: unknown, key: string | null = writer) =>
  call(devices.POST, { method: "POST", path: "/api/v1/devices", key, body });
const get = (token: string, query: string, key = reader) =>
  call(byToken.GET, {
    method: "GET",
    path: `/api/v1/devices/${token}?${query}`,
    key,
    params: { token },
  });
const del = (token: string, query: string, key = writer) =>
  call(byToken.DELETE, {
    method: "DELETE",
    path: `/api/v1/devices/${token}?${query}`,
    key,
    params: { token },
  });
const base = (token = randomToken()) => ({ app: MAIN_APP, token, environment: "production" });

describe(`POST /api/v1/devices on ${testProvider()}`, () => {
  it("creates (201), then refreshes idempotently (200) with the token normalised to lowercase", async () => {
    const token = randomToken().toUpperCase();
    const first = await register({
      ...base(token),
      userId: "u-1",
      locale: "fr_FR",
      tags: ["beta", "beta", "vip"],
      attributes: { plan: "pro" },
    });
    expect(first.status).toBe(201);
    expect(registrationResponseSchema.parse(first.json)).toMatchObject({
      token: token.toLowerCase(),
      result: "created",
    });
    const again = await register({ ...base(token), userId: "u-1", locale: "de_DE", tags: ["vip"] });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ result: "refreshed", id: first.json.id });
    const rows = await h.t.db.device.findMany({
      where: { token: token.toLowerCase() },
      include: { tags: true, events: true },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      locale: "de_DE",
      status: "ACTIVE",
      attributes: JSON.stringify({ plan: "pro" }),
    });
    expect(rows[0].tags.map((t) => t.tag)).toEqual(["vip"]);
    expect(rows[0].events.map((e) => e.kind)).toEqual(["REGISTERED"]);
  });

  it("reactivates an invalid token and records when", async () => {
    const token = randomToken();
    await register(base(token));
    await h.t.db.device.updateMany({
      where: { token },
      data: { status: "INVALID", invalidReason: "Unregistered", invalidatedAt: new Date() },
    });
    const before = Date.now();
    const res = await register(base(token));
    expect(res.status).toBe(200);
    expect(res.json.result).toBe("reactivated");
    const row = await h.t.db.device.findFirstOrThrow({
      where: { token },
      include: { events: { orderBy: { id: "asc" } } },
    });
    expect(row).toMatchObject({
      status: "ACTIVE",
      invalidReason: null,
      invalidatedAt: null,
      reactivationCount: 1,
    });
    expect(row.reactivatedAt!.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(row.events.map((e) => e.kind)).toEqual(["REGISTERED", "REACTIVATED"]);
  });

  it("50 concurrent registrations of one token: one row, one 201, no 5xx", async () => {
    const token = randomToken();
    const results = await Promise.all(Array.from({ length: 50 }, () => register(base(token))));
    expect(results.map((r) => r.status).sort()).toEqual([...Array(49).fill(200), 201]);
    expect(await h.t.db.device.count({ where: { token } })).toBe(1);
    expect(await h.t.db.deviceEvent.count({ where: { device: { token } } })).toBe(1);
  });

  it.each([
    ["odd-length token", { token: "abc".repeat(25) }, "token"],
    ["short token", { token: "ab".repeat(31) }, "token"],
    ["long token", { token: "ab".repeat(101) }, "token"],
    ["non-hex token", { token: "zz".repeat(32) }, "token"],
    ["unknown environment", { environment: "staging" }, "environment"],
    ["unknown app", { app: "com.example.nope" }, "app"],
    ["unknown field", { colour: "red" }, "_"],
    ["too many tags", { tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }, "tags"],
    ["nested attributes", { attributes: { a: { b: 1 } } }, "attributes.a"],
    ["number for a string", { userId: 42 }, "userId"],
  ])("%s → 422 with a field error, registry unchanged", async (_, patch, field) => {
    const before = await registrySnapshot(h.t);
    const res = await register({ ...base(), ...patch });
    expect(res.status).toBe(422);
    expect(res.type).toBe("application/problem+json");
    const body = problemSchema.parse(res.json);
    expect(body.errors?.some((e) => e.field === field)).toBe(true);
    expect(await registrySnapshot(h.t)).toBe(before);
  });

  it("400 on broken JSON, 415 on a non-JSON body, 413 on a huge body", async () => {
    const path = "/api/v1/devices";
    expect(
      (await call(devices.POST, { method: "POST", path, key: writer, rawBody: "{nope" })).status,
    ).toBe(400);
    expect(
      (
        await call(devices.POST, {
          method: "POST",
          path,
          key: writer,
          rawBody: "a=b",
          contentType: "text/plain",
        })
      ).status,
    ).toBe(415);
    expect(
      (
        await call(devices.POST, {
          method: "POST",
          path,
          key: writer,
          body: { ...base(), model: "x".repeat(20_000) },
        })
      ).status,
    ).toBe(413);
  });

  it("401 without a key, with a malformed, unknown or revoked key; 403 with the wrong scope", async () => {
    expect((await register(base(), null)).status).toBe(401);
    expect((await register(base(), "not-a-key")).status).toBe(401);
    expect(
      (
        await call(devices.POST, {
          method: "POST",
          path: "/api/v1/devices",
          body: base(),
          key: null,
          contentType: "application/json",
        })
      ).json.detail,
    ).toMatch(/Bearer/);
    expect((await register(base(), `pd_AAAAAAAA_${"B".repeat(32)}`)).status).toBe(401);
    const revoked = await h.key(["devices:write"]);
    await h.t.db.apiKey.updateMany({
      where: { prefix: revoked.slice(0, 11) },
      data: { revokedAt: new Date() },
    });
    expect((await register(base(), revoked)).status).toBe(401);
    const forbidden = await register(base(), reader);
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.detail).toMatch(/devices:write/);
    expect((await register(base(), await h.key(["admin"]))).status).toBe(201);
  });

  it("a key restricted to one app cannot register, read or delete another app's devices", async () => {
    const otherOnly = await h.key(["devices:write", "devices:read"], OTHER_APP);
    const token = randomToken();
    expect((await register(base(token))).status).toBe(201);
    const denied = await register(base(), otherOnly);
    expect(denied.status).toBe(422);
    expect(denied.json.errors[0]).toMatchObject({
      field: "app",
      message: expect.stringMatching(/may use/),
    });
    expect((await get(token, `app=${MAIN_APP}`, otherOnly)).status).toBe(404);
    expect((await del(token, `app=${MAIN_APP}`, otherOnly)).status).toBe(404);
    expect((await register({ ...base(), app: OTHER_APP }, otherOnly)).status).toBe(201);
  });
});

describe(`GET/DELETE /api/v1/devices/{token} and GET /api/v1/users/{userId}/devices on ${testProvider()}`, () => {
  it("reads a device with its full token and tags; 404 when unknown; 422 without app", async () => {
    const token = randomToken();
    await register({ ...base(token), userId: "reader-1", tags: ["a"] });
    const found = await get(token, `app=${MAIN_APP}`);
    expect(found.status).toBe(200);
    expect(deviceResponseSchema.parse(found.json)).toMatchObject({
      token,
      tokenMasked: false,
      tags: ["a"],
      userId: "reader-1",
      status: "active",
    });
    expect((await get(randomToken(), `app=${MAIN_APP}`)).status).toBe(404);
    expect((await get(token, "")).status).toBe(422);
    expect((await get("xyz", `app=${MAIN_APP}`)).status).toBe(422);
    expect((await get(token, `app=${MAIN_APP}`, writer)).status).toBe(403);
  });

  it("unregisters (204, idempotent, audited), and registering again reactivates", async () => {
    const token = randomToken();
    await register(base(token));
    expect((await del(token, `app=${MAIN_APP}`)).status).toBe(204);
    expect((await del(token, `app=${MAIN_APP}`)).status).toBe(204);
    expect((await get(token, `app=${MAIN_APP}`)).json.status).toBe("revoked");
    const row = await h.t.db.device.findFirstOrThrow({
      where: { token },
      include: { events: true },
    });
    expect(row.events.map((e) => e.kind)).toEqual(["REGISTERED", "UNREGISTERED"]);
    expect(
      await h.t.db.auditLog.count({
        where: { action: "device.unregister", targetId: String(row.id) },
      }),
    ).toBe(2);
    expect((await del(randomToken(), `app=${MAIN_APP}`)).status).toBe(404);
    expect((await del(token, `app=${MAIN_APP}`, reader)).status).toBe(403);
    expect((await register(base(token))).json.result).toBe("reactivated");
  });

  it("lists a user's devices newest first, page by page", async () => {
    for (let i = 0; i < 5; i++) await register({ ...base(), userId: "paged-user" });
    const list = (query: string) =>
      call(userDevices.GET, {
        method: "GET",
        path: `/api/v1/users/paged-user/devices?${query}`,
        key: reader,
        params: { userId: "paged-user" },
      });
    const first = await list("limit=3");
    expect(first.status).toBe(200);
    const page1 = devicePageResponseSchema.parse(first.json);
    expect(page1.devices).toHaveLength(3);
    const second = devicePageResponseSchema.parse(
      (await list(`limit=3&cursor=${page1.nextCursor}`)).json,
    );
    expect(second.devices).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    const ids = [...page1.devices, ...second.devices].map((d) => d.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect((await list("limit=0")).status).toBe(422);
    expect((await list("cursor=bogus")).status).toBe(422);
  });
});
