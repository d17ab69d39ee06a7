import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as batch from "@/app/api/v1/devices/batch/route";
import type { ApiKeyPrincipal } from "@/lib/auth/guard";
import { registerDevices } from "@/lib/devices/register-devices";
import type { SqlRunner } from "@/lib/db/sql";
import { batchResponseSchema } from "@/lib/openapi/response-schemas";
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

let h: ApiHarness;
let writer: string;

beforeAll(async () => {
  h = await createApiHarness();
  writer = await h.key(["devices:write"]);
});
afterAll(() => h?.drop());

const post = (body: unknown, key = writer) =>
  call(batch.POST, { method: "POST", path: "/api/v1/devices/batch", key, body });
const item = (token = randomToken(), extra: object = {}) => ({
  app: MAIN_APP,
  token,
  environment: "sandbox",
  ...extra,
});

describe(`POST /api/v1/devices/batch on ${testProvider()}`, () => {
  it("gives every item the id of its own row: new, known and reactivated devices, across apps and environments, in any order", async () => {
    const known = Array.from({ length: 300 }, () => randomToken());
    await post({ devices: known.map((token) => item(token)) });
    // Revoked devices come back as reactivations.
    await h.t.db.device.updateMany({
      where: { token: { in: known.slice(0, 20) } },
      data: { status: "REVOKED" },
    });
    const devices = [
      ...known.map((token) => item(token, { userId: "again" })),
      ...Array.from({ length: 900 }, (_, i) =>
        item(randomToken(), {
          app: i % 3 ? MAIN_APP : OTHER_APP,
          environment: i % 2 ? "sandbox" : "production",
        }),
      ),
      // The same token as a known device, in the other environment: a device of its own.
      item(known[5], { environment: "production" }),
    ].sort(() => Math.random() - 0.5);
    const body = batchResponseSchema.parse((await post({ devices })).json);
    expect(body.summary).toMatchObject({
      created: 901,
      refreshed: 280,
      reactivated: 20,
      rejected: 0,
    });
    const rows = await h.t.db.device.findMany({
      where: { id: { in: body.results.map((r) => r.deviceId!) } },
      select: { id: true, token: true, environment: true, app: { select: { bundleId: true } } },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.size).toBe(devices.length);
    body.results.forEach((r, i) => {
      const row = byId.get(r.deviceId!)!;
      expect([row.token, row.app.bundleId, row.environment]).toEqual([
        devices[i].token,
        devices[i].app,
        devices[i].environment.toUpperCase(),
      ]);
      const isKnown = known.includes(devices[i].token) && devices[i].environment === "sandbox";
      expect(r.result).toBe(
        !isKnown ? "created" : known.indexOf(devices[i].token) < 20 ? "reactivated" : "refreshed",
      );
    });
  });

  it("stores the good items and reports each bad one with its field errors", async () => {
    const known = randomToken();
    await post({ devices: [item(known)] });
    const devices = [
      item(),
      { ...item(), token: "abc" },
      item(known, { userId: "u" }),
      { ...item(), environment: "dev" },
      item(undefined, { tags: ["x", "y"] }),
      "junk",
      { ...item(), app: "com.nope" },
    ];
    const res = await post({ devices });
    expect(res.status).toBe(200);
    const body = batchResponseSchema.parse(res.json);
    expect(body.results.map((r) => r.status)).toEqual([201, 422, 200, 422, 201, 422, 422]);
    expect(body.summary).toEqual({
      received: 7,
      created: 2,
      refreshed: 1,
      reactivated: 0,
      rejected: 4,
    });
    expect(body.results[1].errors?.[0].field).toBe("token");
    expect(body.results[3].errors?.[0].field).toBe("environment");
    expect(body.results[6].errors?.[0]).toMatchObject({ field: "app" });
    expect(
      await h.t.db.device.count({
        where: {
          token: { in: [devices[0], devices[4]].map((d) => (d as { token: string }).token) },
        },
      }),
    ).toBe(2);
    expect(
      await h.t.db.deviceTag.count({
        where: { device: { token: (devices[4] as { token: string }).token } },
      }),
    ).toBe(2);
  });

  it("rejects a repeated token within one batch, keeping the first", async () => {
    const token = randomToken();
    const body = batchResponseSchema.parse(
      (
        await post({
          devices: [item(token, { locale: "en" }), item(token.toUpperCase(), { locale: "fr" })],
        })
      ).json,
    );
    expect(body.results.map((r) => r.status)).toEqual([201, 422]);
    expect(body.results[1].errors?.[0].message).toMatch(/index 0/);
    expect((await h.t.db.device.findFirstOrThrow({ where: { token } })).locale).toBe("en");
  });

  it("10,000 items in one request: all created, then all refreshed", async () => {
    const devices = Array.from({ length: 10_000 }, (_, i) =>
      item(undefined, { userId: `bulk-${i % 100}`, tags: i % 2 ? ["odd"] : [] }),
    );
    const first = batchResponseSchema.parse((await post({ devices })).json);
    expect(first.summary).toMatchObject({ created: 10_000, rejected: 0 });
    const second = batchResponseSchema.parse((await post({ devices })).json);
    expect(second.summary).toMatchObject({ refreshed: 10_000, created: 0 });
    expect(await h.t.db.deviceTag.count({ where: { tag: "odd" } })).toBe(5_000);
  });

  it("concurrent batches sharing a token: each gets its own results, the token is created once", async () => {
    const shared = randomToken();
    const batches = Array.from({ length: 4 }, (_, b) => [
      item(shared, { userId: `concurrent-${b}` }),
      ...Array.from({ length: 300 }, () => item(undefined, { userId: `concurrent-${b}` })),
    ]);
    const bodies = (await Promise.all(batches.map((devices) => post({ devices })))).map((res) =>
      batchResponseSchema.parse(res.json),
    );
    expect(bodies.map((b) => b.summary.received)).toEqual([301, 301, 301, 301]);
    expect(bodies.map((b) => b.results[0].status).sort()).toEqual([200, 200, 200, 201]);
    for (const body of bodies) {
      expect(body.summary).toMatchObject({ rejected: 0 });
      expect(body.results.slice(1).every((r) => r.status === 201)).toBe(true);
    }
    expect(await h.t.db.device.count({ where: { token: shared } })).toBe(1);
    expect(await h.t.db.device.count({ where: { userId: { startsWith: "concurrent-" } } })).toBe(
      1 + 4 * 300,
    );
  });

  it("refuses an empty batch, more than 10,000 items, and a wrong body shape (422), a wrong scope (403)", async () => {
    expect((await post({ devices: [] })).status).toBe(422);
    expect((await post({ devices: Array.from({ length: 10_001 }, () => ({})) })).status).toBe(422);
    expect((await post([item()])).status).toBe(422);
    expect((await post({ devices: [item()], extra: 1 })).status).toBe(422);
    expect((await post({ devices: [item()] }, await h.key(["devices:read"]))).status).toBe(403);
  });

  it("writes nothing when the transaction fails half-way", async () => {
    const before = await registrySnapshot(h.t);
    // A runner whose audit insert fails after the devices, events and tags of the batch were
    // written (on PostgreSQL those are one statement).
    const failing: SqlRunner = {
      ...h.t.sql,
      transaction: (work) =>
        h.t.sql.transaction((tx) =>
          work({
            ...tx,
            execute: async (sql, params) =>
              sql.includes(`INSERT INTO "AuditLog"`)
                ? Promise.reject(new Error("disk full"))
                : tx.execute(sql, params),
          }),
        ),
    };
    const principal: ApiKeyPrincipal = {
      kind: "api-key",
      id: "k",
      name: "k",
      scopes: ["devices:write"],
      appId: null,
    };
    const devices = Array.from({ length: 600 }, () => item(undefined, { tags: ["t"] }));
    await expect(registerDevices(principal, devices, { sql: failing })).rejects.toThrow(
      "disk full",
    );
    expect(await registrySnapshot(h.t)).toBe(before);
  });
});
