import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as audienceCount from "@/app/api/v1/campaigns/audience-count/route";
import * as cancel from "@/app/api/v1/campaigns/[id]/cancel/route";
import * as one from "@/app/api/v1/campaigns/[id]/route";
import * as schedule from "@/app/api/v1/campaigns/[id]/schedule/route";
import * as campaigns from "@/app/api/v1/campaigns/route";
import { registerDevices } from "@/lib/devices/register-devices";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import {
  audienceCountResponseSchema,
  campaignPageResponseSchema,
  campaignResponseSchema,
} from "@/lib/openapi/campaigns";
import {
  call,
  createApiHarness,
  MAIN_APP,
  randomToken,
  type ApiHarness,
} from "./helpers/api-harness";
import { testProvider } from "./helpers/test-database";

// The campaigns API through its route handlers, as Next calls them: the requests, the
// problem documents (field paths for zod errors, 409 for a move the status table refuses), and
// which API key scopes may call what. Response bodies are parsed with the OpenAPI document's schemas.
let h: ApiHarness;
let write = "";
let read = "";
let devices = "";
const PROBLEM = "application/problem+json";
const BODY = {
  name: "Spring sale",
  app: MAIN_APP,
  environment: "production",
  message: {
    pushType: "alert",
    title: "Spring sale",
    subtitle: "This week only",
    body: "20% off everything",
    badge: 1,
    sound: "default",
    threadId: "sales",
    data: { deeplink: "example://sale" },
    localizations: { fr: { title: "Soldes", body: "20 % sur tout" } },
    priority: 10,
    expiration: "2099-12-24T00:00:00Z",
    collapseId: "spring",
  },
  audience: { all: true },
};

beforeAll(async () => {
  h = await createApiHarness();
  [write, read, devices] = await Promise.all([
    h.key(["campaigns:write"]),
    h.key(["campaigns:read"]),
    h.key(["devices:read", "devices:write"]),
  ]);
  await registerDevices(
    { kind: "api-key", id: "k", name: "k", scopes: ["devices:write"], appId: null },
    [
      { app: MAIN_APP, token: randomToken(), environment: "production", tags: ["beta"] },
      { app: MAIN_APP, token: randomToken(), environment: "production", locale: "fr_FR" },
    ],
  );
});
afterAll(() => h?.drop());

const create = (body: unknown = BODY, key = write) =>
  call(campaigns.POST, { method: "POST", path: "/api/v1/campaigns", key, body });
const at = (id: string, suffix = "") => `/api/v1/campaigns/${id}${suffix}`;

describe(`campaigns API on ${testProvider()}`, () => {
  it("creates, lists, reads, patches, schedules and cancels a campaign", async () => {
    const created = await create();
    expect(created.status).toBe(201);
    const c = campaignResponseSchema.parse(created.json);
    expect(c).toMatchObject({ status: "draft", audienceCount: 2, environment: "production" });
    expect(c.message.localizations.fr.title).toBe("Soldes");

    const list = await call(campaigns.GET, {
      method: "GET",
      path: `/api/v1/campaigns?status=draft&app=${MAIN_APP}&cursor=`,
      key: read,
    });
    expect(list.status).toBe(200);
    expect(campaignPageResponseSchema.parse(list.json).campaigns.map((x) => x.id)).toContain(c.id);

    const got = await call(one.GET, {
      method: "GET",
      path: at(c.id),
      key: read,
      params: { id: c.id },
    });
    expect(campaignResponseSchema.parse(got.json)).toMatchObject({ id: c.id, audienceCount: 2 });

    const patched = await call(one.PATCH, {
      method: "PATCH",
      path: at(c.id),
      key: write,
      params: { id: c.id },
      body: { name: "Spring sale FR", audience: { locales: ["fr"] } },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      name: "Spring sale FR",
      audienceCount: 1,
      message: { badge: 1 },
    });

    // No body at all: send now.
    const scheduled = await call(schedule.POST, {
      method: "POST",
      path: at(c.id, "/schedule"),
      key: write,
      params: { id: c.id },
    });
    expect(scheduled.status).toBe(200);
    expect(campaignResponseSchema.parse(scheduled.json).status).toBe("scheduled");

    const late = await call(one.PATCH, {
      method: "PATCH",
      path: at(c.id),
      key: write,
      params: { id: c.id },
      body: { name: "Too late" },
    });
    expect(late).toMatchObject({
      status: 409,
      type: PROBLEM,
      json: { detail: "Only drafts can be edited: this campaign is scheduled." },
    });

    const cancelled = await call(cancel.POST, {
      method: "POST",
      path: at(c.id, "/cancel"),
      key: write,
      params: { id: c.id },
    });
    expect(cancelled.json).toMatchObject({ status: "cancelled" });
    const again = await call(cancel.POST, {
      method: "POST",
      path: at(c.id, "/cancel"),
      key: write,
      params: { id: c.id },
      body: {},
    });
    expect(again).toMatchObject({ status: 409, type: PROBLEM });
    expect(again.json.detail).toBe(
      "A cancelled campaign cannot be cancelled: only a scheduled, sending or paused one can.",
    );
  });

  it("answers bad payloads with 422 and the path of each field", async () => {
    const bad = await create({
      ...BODY,
      name: "",
      message: { ...BODY.message, priority: 7, badge: -1, colour: "red" },
      audience: { tags: { any: "beta" } },
    });
    expect(bad.status).toBe(422);
    expect(bad.type).toBe(PROBLEM);
    const fields = bad.json.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        "name",
        "message.priority",
        "message.badge",
        "message",
        "audience.tags.any",
      ]),
    );
    expect(
      bad.json.errors.find((e: { field: string }) => e.field === "message.priority").message,
    ).toBe("priority 10, 5 or 1");

    const lint = (await create({ ...BODY, message: { pushType: "alert" } })).json;
    const refused = await call(schedule.POST, {
      method: "POST",
      path: at(lint.id, "/schedule"),
      key: write,
      params: { id: lint.id },
      body: { at: "2099-01-01T09:00:00", localTime: false, ratePerMinute: 0 },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      "at",
      "ratePerMinute",
    ]);
    const errors = await call(schedule.POST, {
      method: "POST",
      path: at(lint.id, "/schedule"),
      key: write,
      params: { id: lint.id },
      body: { at: null },
    });
    expect(errors).toMatchObject({
      status: 422,
      json: { errors: [{ field: "message.body", message: "alert pushes need a title or a body" }] },
    });
    expect(errors.json.detail).toMatch(/^A campaign with errors cannot be scheduled/);

    const list = await call(campaigns.GET, {
      method: "GET",
      path: "/api/v1/campaigns?status=sent",
      key: read,
    });
    expect(list).toMatchObject({ status: 422, json: { errors: [{ field: "status" }] } });
    const missing = await call(one.GET, {
      method: "GET",
      path: at("nope"),
      key: read,
      params: { id: "nope" },
    });
    expect(missing.status).toBe(404);
  });

  it("counts an audience", async () => {
    const counted = await call(audienceCount.POST, {
      method: "POST",
      path: "/api/v1/campaigns/audience-count",
      key: read,
      body: { app: MAIN_APP, environment: "production", audience: { tags: { any: ["beta"] } } },
    });
    expect(counted.status).toBe(200);
    expect(audienceCountResponseSchema.parse(counted.json)).toEqual({ count: 1 });
  });

  it("lets each scope do what it names and nothing else", async () => {
    expect((await create(BODY, read)).status).toBe(403);
    expect((await create(BODY, devices)).status).toBe(403);
    expect((await create(BODY, null as unknown as string)).status).toBe(401);
    const c = (await create()).json;
    const get = (key: string) =>
      call(one.GET, { method: "GET", path: at(c.id), key, params: { id: c.id } });
    expect((await get(read)).status).toBe(200);
    expect((await get(write)).status).toBe(403);
    expect((await get(devices)).status).toBe(403);
    const sched = (key: string) =>
      call(schedule.POST, {
        method: "POST",
        path: at(c.id, "/schedule"),
        key,
        params: { id: c.id },
      });
    expect((await sched(read)).status).toBe(403);
    expect((await sched(write)).status).toBe(200);
    const count = (key: string) =>
      call(audienceCount.POST, {
        method: "POST",
        path: "/api/v1/campaigns/audience-count",
        key,
        body: { app: MAIN_APP, environment: "production", audience: { all: true } },
      });
    expect((await count(write)).status).toBe(403);
    expect((await count(read)).json).toEqual({ count: 2 });
  });

  it("is in the OpenAPI document", () => {
    const doc = buildOpenApiDocument();
    expect(Object.keys(doc.paths).filter((p) => p.includes("campaigns"))).toEqual([
      "/api/v1/campaigns",
      "/api/v1/campaigns/{id}",
      "/api/v1/campaigns/{id}/schedule",
      "/api/v1/campaigns/{id}/cancel",
      "/api/v1/campaigns/audience-count",
    ]);
    const schemas = (doc.components as { schemas: Record<string, { properties?: object }> })
      .schemas;
    expect(Object.keys(schemas.CampaignCreate.properties ?? {})).toEqual([
      "name",
      "app",
      "environment",
      "message",
      "audience",
    ]);
  });
});
