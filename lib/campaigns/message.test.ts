import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CAMPAIGN_PUSH_TYPES, campaignMessageSchema, defaultMessage } from "./message";
import { MESSAGE_FIELDS, retypeMessage, setFields } from "./message-fields";
import { lintMessage } from "./message-lint";

const fieldErrors = (input: unknown) => {
  const result = campaignMessageSchema.safeParse(input);

  return result.success
    ? {}
    : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("campaignMessageSchema", () => {
  it("reads the issue's API example and fills every other field", () => {
    const message = campaignMessageSchema.parse({
      pushType: "alert",
      title: "Spring sale",
      subtitle: "This week",
      body: "20% off",
      badge: 1,
      sound: "default",
      threadId: "sale",
      data: { deeplink: "app://sale" },
      localizations: { fr: { title: "Soldes", body: "-20 %" } },
      priority: 10,
      expiration: "2026-12-24T00:00:00Z",
      collapseId: "spring",
    });
    expect(message).toEqual({
      pushType: "alert",
      title: "Spring sale",
      subtitle: "This week",
      body: "20% off",
      badge: 1,
      sound: "default",
      threadId: "sale",
      category: "",
      interruptionLevel: null,
      relevanceScore: null,
      mutableContent: false,
      contentAvailable: false,
      targetContentId: "",
      liveActivity: null,
      data: { deeplink: "app://sale" },
      localizations: { fr: { title: "Soldes", subtitle: "", body: "-20 %" } },
      priority: 10,
      expiration: "2026-12-24T00:00:00Z",
      collapseId: "spring",
    });
  });

  it("offers every push type but mdm and controls", () => {
    expect(CAMPAIGN_PUSH_TYPES).toEqual([
      "alert",
      "background",
      "voip",
      "complication",
      "fileprovider",
      "location",
      "liveactivity",
      "pushtotalk",
      "widgets",
    ]);
    expect(fieldErrors({ pushType: "mdm" })).toHaveProperty("pushType");
  });

  it("reports structural errors on the form's field paths", () => {
    expect(
      fieldErrors({
        pushType: "alert",
        badge: -1,
        sound: { critical: true, name: "" },
        priority: 7,
        expiration: "next week",
        localizations: { fr: { title: 3 } },
        liveActivity: { event: "pause" },
        data: { when: new Date() },
        extra: true,
      }),
    ).toEqual({
      badge: "0 or more (0 clears the badge)",
      "sound.name": "a sound file name, or default",
      priority: "priority 10, 5 or 1",
      expiration: "a date and time (ISO 8601)",
      "localizations.fr.title": "Invalid input: expected string, received number",
      "liveActivity.event": expect.any(String),
      "data.when": expect.any(String),
      "": expect.stringContaining("extra"),
    });
  });

  it("accepts date-times with an offset, and bounds text lengths", () => {
    expect(fieldErrors({ pushType: "alert", expiration: "2026-12-24T00:00:00+01:00" })).toEqual({});
    expect(fieldErrors({ pushType: "alert", title: "x".repeat(251) })).toEqual({
      title: "at most 250 characters",
    });
  });

  it("has a JSON Schema for the API document", () => {
    const json = z.toJSONSchema(campaignMessageSchema, { io: "input", unrepresentable: "any" });
    expect(json).toMatchObject({ type: "object", required: ["pushType"] });
  });
});

describe("defaultMessage", () => {
  it("starts each push type with no errors but the text the author must write", () => {
    for (const pushType of CAMPAIGN_PUSH_TYPES) {
      const { errors } = lintMessage(defaultMessage(pushType), { bundleId: "com.example.app" });
      const expected =
        pushType === "alert"
          ? ["body"]
          : pushType === "liveactivity"
            ? ["liveActivity.contentState"]
            : [];
      expect(
        errors.map((e) => e.path),
        pushType,
      ).toEqual(expected);
    }
  });

  it("sets only fields the push type uses", () => {
    for (const pushType of CAMPAIGN_PUSH_TYPES) {
      for (const field of setFields(defaultMessage(pushType))) {
        expect(MESSAGE_FIELDS[pushType], `${pushType}.${field}`).toContain(field);
      }
    }
  });
});

describe("retypeMessage", () => {
  it("keeps what the new type uses, resets the rest and an invalid priority", () => {
    const alert = campaignMessageSchema.parse({
      pushType: "alert",
      title: "Hi",
      badge: 2,
      data: { a: 1 },
      priority: 10,
      collapseId: "c",
    });
    const background = retypeMessage(alert, "background");
    expect(background).toEqual({
      ...defaultMessage("background"),
      data: { a: 1 },
      collapseId: "c",
    });
    expect(retypeMessage(background, "alert")).toMatchObject({
      pushType: "alert",
      title: "",
      data: { a: 1 },
      sound: "default",
    });
    expect(retypeMessage(alert, "liveactivity").title).toBe("Hi");
  });
});
