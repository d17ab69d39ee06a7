import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { campaignMessageSchema, type CampaignMessageInput } from "./message";
import { PREVIEW_LINE_CHARS, clampLines, previewModel } from "./message-preview";

const options = { appName: "Example", bundleId: "com.example.app" };
const preview = (input: CampaignMessageInput, extra: object = {}) =>
  previewModel(campaignMessageSchema.parse(input), { ...options, ...extra });

describe("previewModel", () => {
  const sale: CampaignMessageInput = {
    pushType: "alert",
    title: "Spring sale",
    subtitle: "This week only",
    body: "Everything 20% off.",
    badge: 3,
    sound: "default",
    threadId: "sale",
    localizations: { fr: { title: "Soldes", body: "Tout à -20 %." } },
  };

  it("shows the notification as the lock screen and banner draw it", () => {
    const model = preview(sale);
    expect(model.notification).toEqual({
      appName: "Example",
      title: "Spring sale",
      subtitle: "This week only",
      body: "Everything 20% off.",
      truncated: false,
      threadId: "sale",
      time: "now",
      sound: "default",
      interruptionLevel: null,
    });
    expect(model.badge).toBe(3);
    expect(model.silentReason).toBeNull();
    expect(model.locales).toEqual([null, "fr"]);
    expect(model.locale).toBeNull();
  });

  it("shows a locale's text, reached from a device locale", () => {
    const model = preview(sale, { locale: "fr-CA" });
    expect(model.locale).toBe("fr");
    expect(model.notification).toMatchObject({
      title: "Soldes",
      subtitle: "",
      body: "Tout à -20 %.",
    });
    expect(model.request.body).toBe(
      `{"aps":{"alert":{"title":"Soldes","body":"Tout à -20 %."},"badge":3,"sound":"default","thread-id":"sale"}}`,
    );
    expect(model.request.size).toBe(new TextEncoder().encode(model.request.body).length);
  });

  it("has no notification for pushes that show nothing, and says why", () => {
    const model = preview({ pushType: "background", contentAvailable: true });
    expect(model.notification).toBeNull();
    expect(model.silentReason).toMatch(/background push wakes the app/);
    expect(preview({ pushType: "alert", badge: 0 }).notification).toBeNull();
  });

  it("shows a Live Activity's alert", () => {
    const model = preview({
      pushType: "liveactivity",
      title: "Goal!",
      body: "2–1",
      liveActivity: { event: "update", contentState: { score: [2, 1] } },
    });
    expect(model.notification).toMatchObject({ title: "Goal!", body: "2–1" });
    expect(preview({ pushType: "liveactivity" }).silentReason).toMatch(/updates in place/);
  });

  it("truncates a long body to about four lines", () => {
    const body = "word ".repeat(60).trim();
    const model = preview({ pushType: "alert", title: "T".repeat(60), body });
    expect(model.notification?.truncated).toBe(true);
    expect(model.notification?.title).toBe(`${"T".repeat(PREVIEW_LINE_CHARS)}…`);
    expect(model.notification?.body.endsWith("word…")).toBe(true);
    expect(model.notification!.body.length).toBeLessThanOrEqual(4 * PREVIEW_LINE_CHARS + 1);
    // The request is never truncated.
    expect(model.request.body).toContain(body);
  });

  it("gives a curl command that a shell turns back into the exact body", () => {
    const model = preview(
      { ...sale, body: `Don't miss it: "20%" off $today` },
      { environment: "production" },
    );
    expect(model.curl).toContain("https://api.push.apple.com/3/device/$DEVICE_TOKEN");
    expect(model.curl).toContain(`-H "apns-topic: com.example.app"`);
    // Run the command's --data word through sh (printf, not curl) to check the quoting.
    const data = model.curl.split("\n").find((line) => line.trimStart().startsWith("--data "))!;
    const word = data
      .trim()
      .replace(/^--data /, "")
      .replace(/ \\$/, "");
    const echoed = execFileSync("sh", ["-c", `printf %s ${word}`], { encoding: "utf8" });
    expect(echoed).toBe(model.request.body);
  });
});

describe("clampLines", () => {
  it("keeps short text and counts newlines as lines", () => {
    expect(clampLines("one\ntwo", 2)).toEqual({ text: "one\ntwo", truncated: false });
    expect(clampLines("one\ntwo\nthree", 2)).toEqual({ text: "one\ntwo…", truncated: true });
  });

  it("cuts at a space near the end of the last line", () => {
    const text = `${"a".repeat(30)} ${"b".repeat(30)}`;
    expect(clampLines(text, 1)).toEqual({ text: `${"a".repeat(30)}…`, truncated: true });
  });

  it("counts characters, not UTF-16 units", () => {
    expect(clampLines("😀".repeat(PREVIEW_LINE_CHARS), 1).truncated).toBe(false);
    expect(clampLines("😀".repeat(PREVIEW_LINE_CHARS + 1), 1).truncated).toBe(true);
  });
});
