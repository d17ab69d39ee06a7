import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor, type Actor } from "@/lib/access/authorize";
import type { ApiKeyPrincipal, StaffPrincipal } from "@/lib/auth/guard";
import {
  createCampaign,
  deleteCampaign,
  duplicateCampaign,
  getCampaign,
  updateCampaign,
} from "@/lib/campaigns/campaigns";
import { findCampaigns } from "@/lib/campaigns/find-campaigns";
import { cancelCampaign, scheduleCampaign, unscheduleCampaign } from "@/lib/campaigns/schedule";
import { deleteSegment, findSegments, saveSegment } from "@/lib/campaigns/segments";
import {
  createCampaignFromTemplate,
  deleteTemplate,
  findTemplates,
  saveTemplate,
} from "@/lib/campaigns/templates";
import { registerDevices } from "@/lib/devices/register-devices";
import {
  createApiHarness,
  MAIN_APP,
  OTHER_APP,
  randomToken,
  type ApiHarness,
} from "./helpers/api-harness";
import { testProvider } from "./helpers/test-database";

// The campaign data functions on both databases: drafts, the list, scheduling and its refusals,
// segments and templates, and who may call what (docs/data-access.md: authorize first, nothing
// written when refused, audit in the same transaction).
let h: ApiHarness;
const staff: Record<string, StaffPrincipal> = {};
const key = (scopes: string[], appId: string | null = null): ApiKeyPrincipal => ({
  kind: "api-key",
  id: "k",
  name: "k",
  scopes,
  appId,
});
const ALERT = { pushType: "alert", title: "Spring sale", body: "20% off" } as const;

beforeAll(async () => {
  h = await createApiHarness();
  for (const role of ["ADMIN", "MARKETING", "SUPPORT"] as const) {
    const user = await h.t.db.user.create({
      data: { email: `${role}@example.test`, name: role, passwordHash: "x", role },
    });
    staff[role] = { kind: "user", id: user.id, email: user.email, name: user.name, role };
  }
  // Main app: 3 production devices (2 tagged beta) and 1 sandbox one.
  await registerDevices(staff.ADMIN, [
    ...[0, 1, 2].map((i) => ({
      app: MAIN_APP,
      token: randomToken(),
      environment: "production",
      tags: i < 2 ? ["beta"] : [],
    })),
    { app: MAIN_APP, token: randomToken(), environment: "sandbox" },
  ]);
});
afterAll(() => h?.drop());

const audits = async (action: string) => h.t.db.auditLog.count({ where: { action } });
const draft = (actor: Actor = staff.MARKETING, name = "Spring sale", extra = {}) =>
  createCampaign(actor, { name, app: MAIN_APP, message: ALERT, ...extra });

describe(`campaigns on ${testProvider()}`, () => {
  it("creates a draft with its audience counted, and audits it", async () => {
    const before = await audits("campaign.create");
    const all = await draft();
    expect(all).toMatchObject({
      status: "draft",
      environment: "production",
      audienceCount: 3,
      app: { bundleId: MAIN_APP },
      createdBy: { id: staff.MARKETING.id },
      audience: { all: true },
    });
    expect(all.message).toMatchObject({ pushType: "alert", title: "Spring sale", badge: null });
    const beta = await draft(staff.MARKETING, "Beta", {
      environment: "production",
      audience: { tags: { any: ["beta"] } },
    });
    expect(beta.audienceCount).toBe(2);
    const sandbox = await draft(staff.MARKETING, "Sandbox", { environment: "sandbox" });
    expect(sandbox.audienceCount).toBe(1);
    expect(await audits("campaign.create")).toBe(before + 3);
    await expect(
      createCampaign(staff.MARKETING, { name: "x", app: "com.example.nope", message: ALERT }),
    ).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { app: ["Unknown app"] } });
  });

  it("updates only what is sent, recounting when the audience changes", async () => {
    const c = await draft();
    const renamed = await updateCampaign(staff.MARKETING, { id: c.id, name: "Renamed" });
    expect(renamed).toMatchObject({ name: "Renamed", audienceCount: 3, message: c.message });
    const narrowed = await updateCampaign(staff.ADMIN, {
      id: c.id,
      audience: { tags: { any: ["beta"] } },
      message: { ...ALERT, body: "30% off" },
    });
    expect(narrowed).toMatchObject({
      name: "Renamed",
      audienceCount: 2,
      message: { body: "30% off" },
      updatedBy: { id: staff.ADMIN.id },
    });
    expect((await getCampaign(staff.ADMIN, { id: c.id })).name).toBe("Renamed");
  });

  it("duplicates any campaign as a new draft, and deletes drafts only", async () => {
    const c = await draft();
    await scheduleCampaign(staff.MARKETING, { id: c.id });
    const copy = await duplicateCampaign(staff.MARKETING, { id: c.id });
    expect(copy).toMatchObject({ name: "Spring sale (copy)", status: "draft", message: c.message });
    expect(copy.id).not.toBe(c.id);
    await expect(deleteCampaign(staff.MARKETING, { id: c.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Only drafts can be deleted: this campaign is scheduled.",
    });
    await deleteCampaign(staff.MARKETING, { id: copy.id });
    await expect(getCampaign(staff.MARKETING, { id: copy.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("schedules now, later or at a local time; refuses errors, empty audiences and past times", async () => {
    const bad = await draft(staff.MARKETING, "Bad", {
      message: { pushType: "background", contentAvailable: true, priority: 10 },
    });
    const refused = await scheduleCampaign(staff.MARKETING, { id: bad.id }).catch((e) => e);
    expect(refused).toMatchObject({
      code: "VALIDATION",
      message:
        "A campaign with errors cannot be scheduled: priority: background pushes must use priority 5",
      fieldErrors: { "message.priority": ["background pushes must use priority 5"] },
    });
    const nobody = await draft(staff.MARKETING, "Nobody", {
      audience: { tags: { any: ["nobody"] } },
    });
    await expect(scheduleCampaign(staff.MARKETING, { id: nobody.id })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { audience: ["No active device matches this audience"] },
    });
    const c = await draft();
    await expect(
      scheduleCampaign(staff.MARKETING, { id: c.id, at: "2020-01-01T00:00:00Z" }),
    ).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { at: ["must be in the future"] } });
    expect((await getCampaign(staff.MARKETING, { id: c.id })).status).toBe("draft");

    const at = new Date(Date.now() + 86_400_000).toISOString();
    const scheduled = await scheduleCampaign(staff.MARKETING, { id: c.id, at, ratePerMinute: 600 });
    expect(scheduled).toMatchObject({ status: "scheduled", ratePerMinute: 600, audienceCount: 3 });
    expect(scheduled.scheduledAt?.toISOString()).toBe(at);
    await expect(updateCampaign(staff.MARKETING, { id: c.id, name: "x" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Only drafts can be edited: this campaign is scheduled.",
    });
    await expect(scheduleCampaign(staff.MARKETING, { id: c.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "A scheduled campaign cannot be scheduled: only a draft one can.",
    });
    expect(await unscheduleCampaign(staff.MARKETING, { id: c.id })).toMatchObject({
      status: "draft",
      scheduledAt: null,
    });
    const local = await scheduleCampaign(staff.MARKETING, {
      id: c.id,
      at: "2099-12-24T09:00:00",
      localTime: true,
    });
    expect(local).toMatchObject({ status: "scheduled", localTime: true });
    expect(local.scheduledAt?.toISOString()).toBe("2099-12-24T09:00:00.000Z");
    expect(await cancelCampaign(staff.ADMIN, { id: c.id })).toMatchObject({ status: "cancelled" });
    await expect(cancelCampaign(staff.ADMIN, { id: c.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message:
        "A cancelled campaign cannot be cancelled: only a scheduled, sending or paused one can.",
    });
    expect(await audits("campaign.cancel")).toBeGreaterThanOrEqual(1);
  });

  it("lists newest first by keyset, filtered by status, app and name, stable across edits", async () => {
    const names = Array.from({ length: 7 }, (_, i) => `Keyset ${i}`);
    const made = [];
    for (const name of names) made.push(await draft(staff.MARKETING, name));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await findCampaigns(staff.MARKETING, { search: "keyset", limit: 3, cursor });
      seen.push(...page.campaigns.map((c) => c.name));
      cursor = page.nextCursor ?? undefined;
      // An autosave between pages moves updatedAt, not the list's key.
      if (pages++ === 0)
        await updateCampaign(staff.MARKETING, { id: made[0].id, name: "Keyset 0" });
    } while (cursor);
    expect(seen).toEqual([...names].reverse());
    expect(pages).toBe(3);

    await scheduleCampaign(staff.MARKETING, { id: made[3].id });
    const scheduled = await findCampaigns(staff.MARKETING, {
      status: "scheduled",
      search: "KEYSET",
    });
    expect(scheduled.campaigns.map((c) => c.name)).toEqual(["Keyset 3"]);
    expect(scheduled.campaigns[0]).not.toHaveProperty("message");
    expect((await findCampaigns(staff.MARKETING, { app: OTHER_APP })).campaigns).toEqual([]);
    await expect(findCampaigns(staff.MARKETING, { cursor: "not a cursor" })).rejects.toThrow();
  });

  it("an API key bound to one app reaches only that app's campaigns", async () => {
    const c = await draft();
    const other = key(["campaigns:read", "campaigns:write"], h.apps.other);
    await expect(getCampaign(other, { id: c.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(draft(other)).rejects.toMatchObject({ code: "VALIDATION" });
    expect((await findCampaigns(other)).campaigns).toEqual([]);
    const main = key(["campaigns:write"], h.apps.main);
    expect(await draft(main)).toMatchObject({ audienceCount: 3, createdBy: null });
  });

  it("saves segments by name per app and templates by name, and starts a campaign from one", async () => {
    const s = await saveSegment(staff.MARKETING, {
      app: MAIN_APP,
      name: "Beta",
      audience: { tags: { any: ["beta"] } },
    });
    const again = await saveSegment(staff.MARKETING, {
      app: MAIN_APP,
      name: "Beta",
      audience: { locales: ["fr"] },
    });
    expect(again.id).toBe(s.id);
    expect(await findSegments(staff.MARKETING, { app: MAIN_APP })).toMatchObject([
      { name: "Beta", audience: { locales: ["fr"] } },
    ]);
    await deleteSegment(staff.MARKETING, { id: s.id });
    expect(await findSegments(staff.MARKETING, { app: MAIN_APP })).toEqual([]);

    const t = await saveTemplate(staff.MARKETING, { name: "Sale", message: ALERT });
    expect(await findTemplates(staff.MARKETING)).toMatchObject([
      { id: t.id, name: "Sale", pushType: "alert" },
    ]);
    const c = await createCampaignFromTemplate(staff.MARKETING, {
      templateId: t.id,
      name: "From template",
      app: MAIN_APP,
    });
    expect(c).toMatchObject({
      status: "draft",
      message: { title: "Spring sale" },
      audienceCount: 3,
    });
    await deleteTemplate(staff.MARKETING, { id: t.id });
    expect(await findTemplates(staff.MARKETING)).toEqual([]);
  });

  it("marketing, admin and SYSTEM may; support and keys without the scope get FORBIDDEN, nothing written", async () => {
    const c = await draft();
    const calls: [string, (a: Actor) => Promise<unknown>, "read" | "write" | "send" | "staff"][] = [
      ["createCampaign", (a) => draft(a), "write"],
      ["updateCampaign", (a) => updateCampaign(a, { id: c.id, name: "n" }), "write"],
      ["getCampaign", (a) => getCampaign(a, { id: c.id }), "read"],
      ["findCampaigns", (a) => findCampaigns(a), "read"],
      ["duplicateCampaign", (a) => duplicateCampaign(a, { id: c.id }), "write"],
      ["deleteCampaign", (a) => deleteCampaign(a, { id: "none" }), "write"],
      ["scheduleCampaign", (a) => scheduleCampaign(a, { id: "none" }), "send"],
      ["unscheduleCampaign", (a) => unscheduleCampaign(a, { id: "none" }), "send"],
      ["cancelCampaign", (a) => cancelCampaign(a, { id: "none" }), "send"],
      [
        "saveSegment",
        (a) => saveSegment(a, { app: MAIN_APP, name: "r", audience: { all: true } }),
        "staff",
      ],
      ["findSegments", (a) => findSegments(a, { app: MAIN_APP }), "staff"],
      ["saveTemplate", (a) => saveTemplate(a, { name: "r", message: ALERT }), "staff"],
      ["findTemplates", (a) => findTemplates(a), "staff"],
    ];
    const scopeFor = { read: "campaigns:read", write: "campaigns:write", send: "campaigns:write" };
    for (const [name, call, kind] of calls) {
      const allowed: [string, Actor][] = [
        ["ADMIN", staff.ADMIN],
        ["MARKETING", staff.MARKETING],
        ["SYSTEM", systemActor("test")],
      ];
      if (kind !== "staff")
        allowed.push([scopeFor[kind], key([scopeFor[kind]])], ["admin key", key(["admin"])]);
      const refused: [string, Actor][] = [
        ["SUPPORT", staff.SUPPORT],
        ["devices key", key(["devices:read", "devices:write", "notifications:send"])],
      ];
      if (kind === "read") refused.push(["write-only key", key(["campaigns:write"])]);
      if (kind !== "read") refused.push(["read-only key", key(["campaigns:read"])]);
      for (const [who, actor] of allowed) {
        const result = (await call(actor).catch((e: unknown) => e)) as { code?: string } | null;
        expect(result?.code, `${name} as ${who}`).not.toBe("FORBIDDEN");
      }
      for (const [who, actor] of refused) {
        const before = await h.t.db.auditLog.count();
        await expect(call(actor), `${name} as ${who}`).rejects.toMatchObject({ code: "FORBIDDEN" });
        expect(await h.t.db.auditLog.count()).toBe(before);
      }
    }
  });
});
