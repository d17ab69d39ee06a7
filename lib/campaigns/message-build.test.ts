import { describe, expect, it } from "vitest";
import { hasErrors, validateRequest } from "@/lib/apns/browser";
import { campaignMessageSchema, type CampaignMessageInput } from "./message";
import { buildCampaignRequest, buildCampaignRequests } from "./message-build";
import { previewModel } from "./message-preview";

const bundleId = "com.example.app";
const sentAt = new Date("2026-12-01T10:00:00Z");
const utf8 = new TextDecoder();

type Case = {
  message: CampaignMessageInput;
  headers: Record<string, string>;
  /** Locale (null: the default text) → the exact JSON body. */
  bodies: [string | null, string][];
};

// One realistic message per push type, with the fields that type uses; the expected bodies are
// written out by hand (dates converted: 2026-12-24T00:00:00Z is 1798070400).
const CASES: Case[] = [
  {
    message: {
      pushType: "alert",
      title: "Spring sale",
      subtitle: "This week only",
      body: "Everything 20% off — until Sunday.",
      badge: 1,
      sound: "default",
      threadId: "sale-2026",
      category: "SALE",
      interruptionLevel: "active",
      relevanceScore: 0.5,
      mutableContent: true,
      targetContentId: "sale",
      data: { deeplink: "app://sale", campaign: 42 },
      localizations: {
        fr: {
          title: "Soldes de printemps",
          subtitle: "Cette semaine",
          body: "Tout à -20 % jusqu'à dimanche.",
        },
        "fr-CA": { title: "Soldes", body: "Tout à -20 % jusqu'à dimanche!" },
      },
      priority: 10,
      expiration: "2026-12-24T00:00:00Z",
      collapseId: "spring-sale",
    },
    headers: {
      "apns-push-type": "alert",
      "apns-topic": "com.example.app",
      "apns-priority": "10",
      "apns-expiration": "1798070400",
      "apns-collapse-id": "spring-sale",
    },
    bodies: [
      [
        null,
        `{"aps":{"alert":{"title":"Spring sale","subtitle":"This week only","body":"Everything 20% off — until Sunday."},"badge":1,"sound":"default","thread-id":"sale-2026","category":"SALE","mutable-content":1,"target-content-id":"sale","interruption-level":"active","relevance-score":0.5},"deeplink":"app://sale","campaign":42}`,
      ],
      [
        "fr",
        `{"aps":{"alert":{"title":"Soldes de printemps","subtitle":"Cette semaine","body":"Tout à -20 % jusqu'à dimanche."},"badge":1,"sound":"default","thread-id":"sale-2026","category":"SALE","mutable-content":1,"target-content-id":"sale","interruption-level":"active","relevance-score":0.5},"deeplink":"app://sale","campaign":42}`,
      ],
      [
        // The localization replaces the text as a whole: no English subtitle under French text.
        "fr-CA",
        `{"aps":{"alert":{"title":"Soldes","body":"Tout à -20 % jusqu'à dimanche!"},"badge":1,"sound":"default","thread-id":"sale-2026","category":"SALE","mutable-content":1,"target-content-id":"sale","interruption-level":"active","relevance-score":0.5},"deeplink":"app://sale","campaign":42}`,
      ],
    ],
  },
  {
    message: {
      pushType: "background",
      contentAvailable: true,
      data: { sync: "inbox" },
      priority: 5,
      collapseId: "sync",
    },
    headers: {
      "apns-push-type": "background",
      "apns-topic": "com.example.app",
      "apns-priority": "5",
      "apns-collapse-id": "sync",
    },
    bodies: [[null, `{"aps":{"content-available":1},"sync":"inbox"}`]],
  },
  {
    message: {
      pushType: "voip",
      data: { caller: "Ada", callId: "c-1" },
      expiration: "2026-12-01T10:01:00+01:00",
    },
    headers: {
      "apns-push-type": "voip",
      "apns-topic": "com.example.app.voip",
      "apns-priority": "10",
      "apns-expiration": "1796115660",
    },
    bodies: [[null, `{"aps":{},"caller":"Ada","callId":"c-1"}`]],
  },
  {
    message: { pushType: "complication", data: { temperature: 21 } },
    headers: {
      "apns-push-type": "complication",
      "apns-topic": "com.example.app.complication",
      "apns-priority": "10",
    },
    bodies: [[null, `{"aps":{},"temperature":21}`]],
  },
  {
    message: {
      pushType: "fileprovider",
      data: { "container-identifier": "NSFileProviderRootContainerItemIdentifier", domain: "docs" },
      priority: 5,
    },
    headers: {
      "apns-push-type": "fileprovider",
      "apns-topic": "com.example.app.pushkit.fileprovider",
      "apns-priority": "5",
    },
    bodies: [
      [
        null,
        `{"aps":{},"container-identifier":"NSFileProviderRootContainerItemIdentifier","domain":"docs"}`,
      ],
    ],
  },
  {
    message: { pushType: "location", priority: 5 },
    headers: {
      "apns-push-type": "location",
      "apns-topic": "com.example.app.location-query",
      "apns-priority": "5",
    },
    bodies: [[null, `{"aps":{}}`]],
  },
  {
    message: {
      pushType: "liveactivity",
      title: "Goal!",
      body: "Ada scores: 2–1",
      relevanceScore: 1,
      localizations: { de: { title: "Tor!", body: "Ada trifft: 2–1" } },
      liveActivity: {
        event: "update",
        contentState: { score: [2, 1], minute: 67 },
        timestamp: "2026-12-01T10:00:00Z",
        staleDate: "2026-12-01T12:00:00Z",
      },
    },
    headers: {
      "apns-push-type": "liveactivity",
      "apns-topic": "com.example.app.push-type.liveactivity",
      "apns-priority": "10",
    },
    bodies: [
      [
        null,
        `{"aps":{"alert":{"title":"Goal!","body":"Ada scores: 2–1"},"relevance-score":1,"timestamp":1796119200,"event":"update","content-state":{"score":[2,1],"minute":67},"stale-date":1796126400}}`,
      ],
      [
        "de",
        `{"aps":{"alert":{"title":"Tor!","body":"Ada trifft: 2–1"},"relevance-score":1,"timestamp":1796119200,"event":"update","content-state":{"score":[2,1],"minute":67},"stale-date":1796126400}}`,
      ],
    ],
  },
  {
    message: { pushType: "pushtotalk", data: { channel: "ops" } },
    headers: {
      "apns-push-type": "pushtotalk",
      "apns-topic": "com.example.app.voip-ptt",
      "apns-priority": "10",
      "apns-expiration": "0",
    },
    bodies: [[null, `{"aps":{},"channel":"ops"}`]],
  },
  {
    message: { pushType: "widgets", priority: 5 },
    headers: {
      "apns-push-type": "widgets",
      "apns-topic": "com.example.app.push-type.widgets",
      "apns-priority": "5",
    },
    bodies: [[null, `{"aps":{"content-changed":true}}`]],
  },
];

describe("buildCampaignRequest: the bytes the dispatcher sends", () => {
  it("has a case for every campaign push type", () => {
    expect(CASES.map((c) => c.message.pushType).sort()).toEqual(
      campaignMessageSchema.shape.pushType.options.slice().sort(),
    );
  });

  for (const { message: input, headers, bodies } of CASES) {
    describe(input.pushType, () => {
      const message = campaignMessageSchema.parse(input);

      it("builds one request per locale, default first, in the message's order", () => {
        const requests = buildCampaignRequests(message, { bundleId, sentAt });
        expect(requests.map((r) => r.locale)).toEqual(bodies.map(([locale]) => locale));
      });

      for (const [locale, body] of bodies) {
        it(`locale ${locale ?? "default"}: exact headers and JSON, no errors`, () => {
          const built = buildCampaignRequest(message, { bundleId, locale, sentAt });
          expect(built.locale).toBe(locale);
          expect(built.headers).toEqual(headers);
          expect(built.body).toBe(body);
          expect(utf8.decode(built.bytes)).toBe(body);
          expect(built.size).toBe(built.bytes.length);
          expect(hasErrors(built.issues)).toBe(false);

          // The sender's own check of a finished request agrees on size, limit and validity.
          const check = validateRequest({ headers: built.headers, body: built.bytes });
          expect(check.size).toBe(built.size);
          expect(check.limit).toBe(input.pushType === "voip" ? 5120 : 4096);
          expect(hasErrors(check.issues)).toBe(false);
        });

        it(`locale ${locale ?? "default"}: the preview shows exactly these bytes`, () => {
          const built = buildCampaignRequest(message, { bundleId, locale, sentAt });
          const preview = previewModel(message, { appName: "Example", bundleId, locale, sentAt });
          expect(preview.request.body).toBe(utf8.decode(built.bytes));
          expect(preview.request.headers).toEqual(built.headers);
          expect(preview.request.size).toBe(built.bytes.length);
          expect(preview.request.limit).toBe(built.limit);
        });
      }
    });
  }
});

describe("buildCampaignRequest: locales and fields", () => {
  const message = campaignMessageSchema.parse(CASES[0].message);

  it("resolves a device locale: fr-CA, then fr, then the default", () => {
    expect(buildCampaignRequest(message, { bundleId, locale: "fr_ca" }).locale).toBe("fr-CA");
    expect(buildCampaignRequest(message, { bundleId, locale: "fr-BE" }).locale).toBe("fr");
    expect(buildCampaignRequest(message, { bundleId, locale: "de-DE" }).locale).toBeNull();
    expect(buildCampaignRequest(message, { bundleId, locale: "de-DE" }).body).toBe(
      CASES[0].bodies[0][1],
    );
  });

  it("writes a critical sound in Apple's shape and omits unset fields", () => {
    const built = buildCampaignRequest(
      campaignMessageSchema.parse({
        pushType: "alert",
        body: "Storm warning",
        sound: { critical: true, name: "alarm.caf", volume: 0.8 },
        badge: 0,
      }),
      { bundleId },
    );
    expect(built.body).toBe(
      `{"aps":{"alert":{"body":"Storm warning"},"badge":0,"sound":{"critical":1,"name":"alarm.caf","volume":0.8}}}`,
    );
    expect(built.headers).toEqual({
      "apns-push-type": "alert",
      "apns-topic": "com.example.app",
      "apns-priority": "10",
    });
  });

  it("stamps a Live Activity left to 'when sent' with the send time, and writes start fields", () => {
    const message = campaignMessageSchema.parse({
      pushType: "liveactivity",
      liveActivity: {
        event: "start",
        contentState: { minute: 0 },
        attributesType: "MatchAttributes",
        attributes: { home: "Lyon", away: "Nice" },
        dismissalDate: "2026-12-01T13:00:00Z",
      },
    });
    const built = buildCampaignRequest(message, { bundleId, sentAt });
    expect(built.body).toBe(
      `{"aps":{"timestamp":1796119200,"event":"start","content-state":{"minute":0},"dismissal-date":1796130000,"attributes-type":"MatchAttributes","attributes":{"home":"Lyon","away":"Nice"}}}`,
    );
  });

  it("passes the auth kind to the builder: Live Activities need a .p8 key", () => {
    const message = campaignMessageSchema.parse(CASES[6].message);
    const built = buildCampaignRequest(message, { bundleId, authKind: "certificate" });
    expect(built.issues.map((i) => i.message)).toContain(
      "Live Activity pushes can only be sent with a .p8 signing key, not a certificate",
    );
  });
});
