import { describe, expect, it } from "vitest";
import { campaignMessageSchema, type CampaignMessageInput } from "./message";
import { lintMessage, type LintOptions } from "./message-lint";

const now = new Date("2026-12-01T10:00:00Z");

/** Every issue as "error path: message" / "warning path: message". */
function lint(input: CampaignMessageInput, options: Partial<LintOptions> = {}): string[] {
  const { errors, warnings } = lintMessage(campaignMessageSchema.parse(input), {
    bundleId: "com.example.app",
    now,
    ...options,
  });

  return [
    ...errors.map((i) => `error ${i.path}: ${i.message}`),
    ...warnings.map((i) => `warning ${i.path}: ${i.message}`),
  ];
}

const alert = { pushType: "alert", title: "Spring sale", body: "20% off" } as const;

describe("lintMessage", () => {
  it("passes a plain alert", () => {
    expect(lint(alert)).toEqual([]);
  });

  it("priority: background pushes must use priority 5", () => {
    const background = { pushType: "background", contentAvailable: true } as const;
    expect(lint({ ...background, priority: 10 })).toEqual([
      "error priority: background pushes must use priority 5",
    ]);
    expect(lint({ ...background, priority: 5 })).toEqual([]);
    expect(lint(background)).toEqual([]);
  });

  it("contentAvailable: background pushes need it", () => {
    expect(lint({ pushType: "background" })).toEqual([
      "error contentAvailable: background pushes need content-available set to 1",
    ]);
  });

  it("background pushes with an alert, badge or sound", () => {
    const background = { pushType: "background", contentAvailable: true } as const;
    expect(lint({ ...background, badge: 3 })).toEqual([
      "warning badge: background pushes are silent: the alert, badge and sound will not show",
    ]);
    expect(lint({ ...background, title: "Hi", sound: "default" })).toEqual([
      "warning title: background pushes are silent: the alert, badge and sound will not show",
      "warning sound: background pushes do not use a sound; the device ignores it",
    ]);
  });

  it("sound: critical sound needs Apple's entitlement; volume between 0 and 1", () => {
    expect(lint({ ...alert, sound: { critical: true, name: "alarm.caf", volume: 0.5 } })).toEqual([
      "warning sound: critical sound needs Apple's critical-alerts entitlement",
    ]);
    expect(lint({ ...alert, sound: { critical: true, name: "alarm.caf", volume: 1.5 } })).toEqual([
      "error sound.volume: critical sound volume must be between 0 and 1",
      "warning sound: critical sound needs Apple's critical-alerts entitlement",
    ]);
    expect(lint({ ...alert, sound: "chime.caf" })).toEqual([]);
  });

  it("payload: over 4,096 bytes, for the largest locale, named", () => {
    const long = "x".repeat(4000);
    expect(lint({ ...alert, body: long })).toEqual([]);
    expect(lint({ ...alert, body: `${long}${"y".repeat(96)}` })).toEqual([
      "error payload: payload is 4,147 of 4,096 bytes",
    ]);
    expect(
      lint({
        ...alert,
        localizations: {
          fr: { title: "Soldes", body: `${long}${"é".repeat(60)}` },
          de: { title: "Rabatt", body: `${long}${"ü".repeat(50)}` },
          it: { title: "Saldi", body: "20%" },
        },
      }),
    ).toEqual([
      'error payload: payload is 4,166 of 4,096 bytes with the "fr" text (and 1 more text over the limit)',
    ]);
    expect(
      lint({
        ...alert,
        body: `${long}${"y".repeat(96)}`,
        localizations: { fr: { title: "Soldes", body: "court" } },
      }),
    ).toEqual(["error payload: payload is 4,147 of 4,096 bytes with the default text"]);
  });

  it("payload: VoIP pushes may carry 5,120 bytes", () => {
    const data = { blob: "x".repeat(4990) };
    expect(lint({ pushType: "voip", data })).toEqual([]);
    expect(lint({ pushType: "complication", data })).toEqual([
      "error payload: payload is 5,010 of 4,096 bytes",
    ]);
    expect(lint({ pushType: "voip", data: { blob: "x".repeat(5110) } })).toEqual([
      "error payload: payload is 5,130 of 5,120 bytes",
    ]);
  });

  it("body: an alert push needs a title or a body (a badge-only push is a warning)", () => {
    expect(lint({ pushType: "alert", sound: "default" })).toEqual([
      "error body: alert pushes need a title or a body",
    ]);
    expect(lint({ pushType: "alert", badge: 0 })).toEqual([
      "warning body: no title or body: this push only changes the badge",
    ]);
    expect(lint({ pushType: "alert", title: "Hi" })).toEqual([]);
  });

  it("liveActivity: needs an event, content-state and timestamp", () => {
    expect(lint({ pushType: "liveactivity" })).toEqual([
      "error liveActivity: Live Activity pushes need an event, content-state and a timestamp",
    ]);
    expect(lint({ pushType: "liveactivity", liveActivity: { event: "update" } })).toEqual([
      "error liveActivity.contentState: a Live Activity update needs content-state",
    ]);
    expect(
      lint({ pushType: "liveactivity", liveActivity: { event: "update", contentState: { a: 1 } } }),
    ).toEqual([]);
    expect(lint({ pushType: "liveactivity", liveActivity: { event: "end" } })).toEqual([]);
  });

  it("liveActivity: a start needs attributes; dismissal applies to the end", () => {
    expect(
      lint({ pushType: "liveactivity", liveActivity: { event: "start", contentState: { a: 1 } } }),
    ).toEqual([
      "error liveActivity.attributes: starting a Live Activity needs attributes-type and attributes",
    ]);
    expect(
      lint({
        pushType: "liveactivity",
        liveActivity: {
          event: "update",
          contentState: { a: 1 },
          dismissalDate: "2026-12-01T12:00:00Z",
        },
      }),
    ).toEqual([
      "warning liveActivity.dismissalDate: dismissal date only applies when the Live Activity ends",
    ]);
  });

  it("liveActivity: ignored on other push types", () => {
    expect(lint({ ...alert, liveActivity: { event: "end" } })).toEqual([
      "warning liveActivity: Live Activity fields are ignored on alert pushes",
    ]);
  });

  it("relevanceScore: between 0 and 1", () => {
    expect(lint({ ...alert, relevanceScore: 1.2 })).toEqual([
      "error relevanceScore: relevance score must be between 0 and 1",
    ]);
    expect(lint({ ...alert, relevanceScore: 1 })).toEqual([]);
  });

  it("interruptionLevel: critical and time-sensitive need entitlements", () => {
    expect(lint({ ...alert, interruptionLevel: "critical" })).toEqual([
      "warning interruptionLevel: critical interruption level needs Apple's critical-alerts entitlement",
    ]);
    expect(lint({ ...alert, interruptionLevel: "time-sensitive" })).toEqual([
      "warning interruptionLevel: time-sensitive interruption level needs the app's Time Sensitive capability",
    ]);
    expect(lint({ ...alert, interruptionLevel: "passive" })).toEqual([]);
  });

  it("mutableContent: only for pushes that show an alert", () => {
    expect(lint({ pushType: "alert", badge: 1, mutableContent: true })).toContain(
      "warning mutableContent: mutable-content only runs the app's extension for pushes that show an alert",
    );
    expect(lint({ ...alert, mutableContent: true })).toEqual([]);
  });

  it("expiration: in the past", () => {
    expect(lint({ ...alert, expiration: "2026-12-01T09:59:59Z" })).toEqual([
      "error expiration: expiration is in the past: nothing would be delivered",
    ]);
    expect(lint({ ...alert, expiration: "2026-12-01T10:00:01Z" })).toEqual([]);
  });

  it("expiration: Push to Talk is now or never", () => {
    expect(lint({ pushType: "pushtotalk", expiration: "2026-12-02T00:00:00Z" })).toEqual([
      "error expiration: Push to Talk pushes must have expiration 0: delivered now or never",
    ]);
    expect(lint({ pushType: "pushtotalk" })).toEqual([]);
  });

  it("collapseId: at most 64 bytes", () => {
    expect(lint({ ...alert, collapseId: "é".repeat(33) })).toEqual([
      "error collapseId: collapse id is 66 of 64 bytes",
    ]);
    expect(lint({ ...alert, collapseId: "é".repeat(32) })).toEqual([]);
  });

  it("data: no key aps", () => {
    expect(lint({ ...alert, data: { aps: { badge: 9 } } })).toEqual([
      'error data: custom data cannot use the key "aps"',
    ]);
    expect(lint({ ...alert, data: { apsx: 1 } })).toEqual([]);
  });

  it("localizations: keys must be BCP 47 language tags", () => {
    expect(
      lint({ ...alert, localizations: { fr_CA: { title: "Soldes", body: "Bonjour" } } }),
    ).toEqual([
      'error localizations.fr_CA: "fr_CA" is not a language tag such as fr or fr-CA (write "fr-CA")',
    ]);
    expect(
      lint({ ...alert, localizations: { français: { title: "Soldes", body: "Bonjour" } } }),
    ).toEqual([
      'error localizations.français: "français" is not a language tag such as fr or fr-CA',
    ]);
    expect(
      lint({ ...alert, localizations: { "fr-CA": { title: "Soldes", body: "Bonjour" } } }),
    ).toEqual([]);
  });

  it("localizations: the same locale twice", () => {
    expect(
      lint({
        ...alert,
        localizations: {
          fr: { title: "Soldes", body: "Salut" },
          FR: { title: "Soldes", body: "Bonjour" },
        },
      }),
    ).toEqual(['error localizations.FR: "FR" is the same locale as "fr"']);
  });

  it("localizations: a localization with no text", () => {
    expect(lint({ ...alert, localizations: { fr: { subtitle: "Cette semaine" } } })).toEqual([
      'error localizations.fr: the "fr" text has no title or body',
    ]);
    expect(lint({ ...alert, localizations: { fr: { title: "Soldes" } } })).toEqual([]);
  });

  it("localizations: the default has a title or subtitle the locale lacks", () => {
    expect(
      lint({
        ...alert,
        subtitle: "This week",
        localizations: { fr: { title: "Soldes", body: "-20 %" } },
      }),
    ).toEqual([
      'warning localizations.fr.subtitle: the default text has a subtitle; "fr" devices will show none',
    ]);
    expect(lint({ ...alert, localizations: { fr: { body: "-20 %" } } })).toEqual([
      'warning localizations.fr.title: the default text has a title; "fr" devices will show none',
    ]);
  });

  it("unused fields: set, sent, and ignored by the push type", () => {
    expect(lint({ pushType: "voip", title: "Call", threadId: "t" })).toEqual([
      "warning title: VoIP pushes do not use a title; the device ignores it",
      "warning threadId: VoIP pushes do not use a thread-id; the device ignores it",
    ]);
    expect(lint({ pushType: "voip", data: { caller: "Ada" } })).toEqual([]);
  });

  it("app: a bundle id is needed for the topic", () => {
    expect(lint(alert, { bundleId: "" })).toEqual([
      "error app: a topic (the app's bundle id) is required",
    ]);
  });

  it("pushType: location and Live Activity pushes need a .p8 key", () => {
    expect(lint({ pushType: "location" }, { authKind: "certificate" })).toEqual([
      "error pushType: location pushes can only be sent with a .p8 signing key, not a certificate",
    ]);
    expect(lint({ pushType: "location" }, { authKind: "token" })).toEqual([]);
  });
});
