import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as single from "@/app/api/v1/devices/route";
import * as batch from "@/app/api/v1/devices/batch/route";
import * as userDevices from "@/app/api/v1/users/[userId]/devices/route";
import {
  call,
  createApiHarness,
  MAIN_APP,
  randomToken,
  registrySnapshot,
  type ApiHarness,
} from "./helpers/api-harness";
import { testProvider } from "./helpers/test-database";

// Bad input is a 4xx on both databases, never a 500: PostgreSQL refuses NUL in text and 32-bit
// overflows in Int columns, where SQLite would store or compare them without complaint.
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

const item = (extra: object = {}) => ({
  app: MAIN_APP,
  token: randomToken(),
  environment: "production",
  ...extra,
});

describe(`control characters on ${testProvider()}`, () => {
  it("a NUL in userId or a tag is a per-item 422; the rest of the batch is written", async () => {
    const good = [item({ userId: "fine" }), item({ tags: ["ok"] })];
    const response = await call(batch.POST, {
      method: "POST",
      path: "/api/v1/devices/batch",
      key: writer,
      body: {
        devices: [
          good[0],
          item({ userId: "nul\u0000user" }),
          item({ tags: ["a\u0000b"] }),
          good[1],
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.json.summary).toMatchObject({ received: 4, created: 2, rejected: 2 });
    expect(response.json.results.map((r: { status: number }) => r.status)).toEqual([
      201, 422, 422, 201,
    ]);
    expect(response.json.results[1].errors[0]).toMatchObject({ field: "userId" });
    expect(response.json.results[2].errors[0].field).toMatch(/^tags/);
    const stored = await h.t.db.device.count({
      where: { token: { in: good.map((g) => g.token) } },
    });
    expect(stored).toBe(2);
  });

  it("a single registration with a control character is a 422 and writes nothing", async () => {
    const before = await registrySnapshot(h.t);
    for (const extra of [{ userId: "a\u0000" }, { tags: ["x\u0000"] }, { model: "i\u0007" }]) {
      const response = await call(single.POST, {
        method: "POST",
        path: "/api/v1/devices",
        key: writer,
        body: item(extra),
      });
      expect(response.status, JSON.stringify(extra)).toBe(422);
      expect(response.type).toContain("application/problem+json");
    }
    expect(await registrySnapshot(h.t)).toBe(before);
  });

  it("a NUL in a user id lookup is a 422", async () => {
    const userId = "u\u0000";
    const response = await call(userDevices.GET, {
      method: "GET",
      path: `/api/v1/users/${encodeURIComponent(userId)}/devices`,
      key: reader,
      params: { userId },
    });
    expect(response.status).toBe(422);
  });
});

describe(`cursors on ${testProvider()}`, () => {
  it.each(["i:999999999999999", "i:2147483648", "i:1e30"])(
    "a cursor past the Int range (%s) is a 422",
    async (cursor) => {
      const response = await call(userDevices.GET, {
        method: "GET",
        path: `/api/v1/users/someone/devices?cursor=${encodeURIComponent(cursor)}`,
        key: reader,
        params: { userId: "someone" },
      });
      expect(response.status).toBe(422);
      expect(response.json.errors[0]).toMatchObject({ field: "cursor" });
    },
  );

  it("the largest id is still a cursor", async () => {
    const response = await call(userDevices.GET, {
      method: "GET",
      path: "/api/v1/users/someone/devices?cursor=i:2147483647",
      key: reader,
      params: { userId: "someone" },
    });
    expect(response.status).toBe(200);
  });
});
