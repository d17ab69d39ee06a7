import { describe, expect, it } from "vitest";

import { buildNotification, hasErrors, validateRequest } from "./payload";
import type { NotificationInput } from "./payload-types";
import { requiresTokenAuth } from "./push-types";

const BUNDLE = "com.acme.shop";
const errorsOf = (input: NotificationInput) =>
  buildNotification(input)
    .issues.filter((i) => i.severity === "error")
    .map((i) => i.message);

describe("buildNotification: exact wire form per push type", () => {
  const cases: Array<[string, NotificationInput, Record<string, string>, string]> = [
    [
      "alert",
      {
        pushType: "alert",
        bundleId: BUNDLE,
        // Keys given out of Apple's order on purpose: the output order is fixed.
        aps: {
          sound: "default",
          badge: 3,
          alert: { body: "Half price today", title: "Sale" },
          "thread-id": "sales",
        },
        data: { campaignId: "c1", n: 2 },
        collapseId: "sale",
        apnsId: "123e4567-e89b-42d3-a456-426614174000",
        expiration: 1_900_000_000,
      },
      {
        "apns-push-type": "alert",
        "apns-topic": "com.acme.shop",
        "apns-priority": "10",
        "apns-expiration": "1900000000",
        "apns-collapse-id": "sale",
        "apns-id": "123e4567-e89b-42d3-a456-426614174000",
      },
      '{"aps":{"alert":{"title":"Sale","body":"Half price today"},"badge":3,"sound":"default","thread-id":"sales"},"campaignId":"c1","n":2}',
    ],
    [
      "background",
      { pushType: "background", bundleId: BUNDLE, aps: { "content-available": 1 } },
      { "apns-push-type": "background", "apns-topic": "com.acme.shop", "apns-priority": "5" },
      '{"aps":{"content-available":1}}',
    ],
    [
      "voip",
      { pushType: "voip", bundleId: BUNDLE, data: { caller: "Ann" } },
      { "apns-push-type": "voip", "apns-topic": "com.acme.shop.voip", "apns-priority": "10" },
      '{"aps":{},"caller":"Ann"}',
    ],
    [
      "complication",
      { pushType: "complication", bundleId: BUNDLE, aps: { "content-available": 1 } },
      {
        "apns-push-type": "complication",
        "apns-topic": "com.acme.shop.complication",
        "apns-priority": "10",
      },
      '{"aps":{"content-available":1}}',
    ],
    [
      "fileprovider",
      {
        pushType: "fileprovider",
        bundleId: BUNDLE,
        data: { "container-identifier": "NSFileProviderRootContainerItemIdentifier" },
      },
      {
        "apns-push-type": "fileprovider",
        "apns-topic": "com.acme.shop.pushkit.fileprovider",
        "apns-priority": "10",
      },
      '{"aps":{},"container-identifier":"NSFileProviderRootContainerItemIdentifier"}',
    ],
    [
      "mdm",
      { pushType: "mdm", topic: "com.apple.mgmt.External.5e2a", data: { mdm: "magic-1" } },
      {
        "apns-push-type": "mdm",
        "apns-topic": "com.apple.mgmt.External.5e2a",
        "apns-priority": "10",
      },
      '{"mdm":"magic-1"}',
    ],
    [
      "location",
      { pushType: "location", bundleId: BUNDLE, priority: 5 },
      {
        "apns-push-type": "location",
        "apns-topic": "com.acme.shop.location-query",
        "apns-priority": "5",
      },
      '{"aps":{}}',
    ],
    [
      "liveactivity",
      {
        pushType: "liveactivity",
        bundleId: BUNDLE,
        aps: {
          "content-state": { score: "2-1" },
          event: "start",
          timestamp: 1_700_000_000,
          "attributes-type": "MatchAttributes",
          attributes: { home: "A", away: "B" },
          "input-push-token": 1,
          alert: { title: "Kick-off", body: "A v B" },
        },
      },
      {
        "apns-push-type": "liveactivity",
        "apns-topic": "com.acme.shop.push-type.liveactivity",
        "apns-priority": "10",
      },
      '{"aps":{"alert":{"title":"Kick-off","body":"A v B"},"timestamp":1700000000,"event":"start","content-state":{"score":"2-1"},"attributes-type":"MatchAttributes","attributes":{"home":"A","away":"B"},"input-push-token":1}}',
    ],
    [
      "pushtotalk",
      { pushType: "pushtotalk", bundleId: BUNDLE, data: { channel: "ops" } },
      {
        "apns-push-type": "pushtotalk",
        "apns-topic": "com.acme.shop.voip-ptt",
        "apns-priority": "10",
        "apns-expiration": "0",
      },
      '{"aps":{},"channel":"ops"}',
    ],
    [
      "widgets",
      { pushType: "widgets", bundleId: BUNDLE, aps: { "content-changed": true } },
      {
        "apns-push-type": "widgets",
        "apns-topic": "com.acme.shop.push-type.widgets",
        "apns-priority": "10",
      },
      '{"aps":{"content-changed":true}}',
    ],
    [
      "controls",
      { pushType: "controls", bundleId: BUNDLE, aps: { "content-changed": true }, priority: 5 },
      {
        "apns-push-type": "controls",
        "apns-topic": "com.acme.shop.push-type.controls",
        "apns-priority": "5",
      },
      '{"aps":{"content-changed":true}}',
    ],
  ];

  it.each(cases)("%s", (_name, input, headers, body) => {
    const built = buildNotification(input);
    expect(built.headers).toStrictEqual(headers);
    expect(built.body).toBe(body);
    expect(Array.from(built.bytes)).toStrictEqual(Array.from(Buffer.from(body, "utf8")));
    expect(built.size).toBe(Buffer.byteLength(body));
    expect(built.issues.filter((i) => i.severity === "error")).toStrictEqual([]);
    // What the builder emits, the sender's validator accepts.
    expect(hasErrors(validateRequest({ headers: built.headers, body: built.body }).issues)).toBe(
      false,
    );
  });

  it("writes the alert dictionary in Apple's order whatever the input order", () => {
    const built = buildNotification({
      pushType: "alert",
      bundleId: BUNDLE,
      aps: {
        alert: {
          "loc-args": ["a"],
          "loc-key": "K",
          body: "b",
          subtitle: "s",
          title: "t",
          "launch-image": "L",
        },
        "relevance-score": 0.5,
        "interruption-level": "passive",
        "mutable-content": 1,
        category: "CAT",
      },
    });
    expect(built.body).toBe(
      '{"aps":{"alert":{"title":"t","subtitle":"s","body":"b","launch-image":"L","loc-key":"K","loc-args":["a"]},"category":"CAT","mutable-content":1,"interruption-level":"passive","relevance-score":0.5}}',
    );
  });

  it("keeps custom data in the given order, even integer-like keys, when given as entries", () => {
    const built = buildNotification({
      pushType: "alert",
      bundleId: BUNDLE,
      aps: { alert: "hi" },
      data: [
        ["b", 1],
        ["10", 2],
      ],
    });
    expect(built.body).toBe('{"aps":{"alert":"hi"},"b":1,"10":2}');
  });

  it("refuses a custom key named aps", () => {
    expect(
      errorsOf({ pushType: "alert", bundleId: BUNDLE, aps: { alert: "x" }, data: { aps: 1 } }),
    ).toStrictEqual(['custom data cannot use the key "aps"']);
  });
});

describe("size limits counted in UTF-8 bytes", () => {
  // `{"aps":{"alert":"<text>"}}` is 19 bytes of envelope.
  const alertOfSize = (total: number, unit = "a") => {
    const envelope = Buffer.byteLength('{"aps":{"alert":""}}');
    const unitBytes = Buffer.byteLength(unit);
    return unit.repeat((total - envelope) / unitBytes);
  };

  it("accepts exactly 4096 bytes and refuses 4097", () => {
    const ok = buildNotification({
      pushType: "alert",
      bundleId: BUNDLE,
      aps: { alert: alertOfSize(4096) },
    });
    expect(ok.size).toBe(4096);
    expect(ok.limit).toBe(4096);
    expect(hasErrors(ok.issues)).toBe(false);

    const over = buildNotification({
      pushType: "alert",
      bundleId: BUNDLE,
      aps: { alert: alertOfSize(4097) },
    });
    expect(over.size).toBe(4097);
    expect(over.issues).toContainEqual({
      severity: "error",
      field: "payload",
      message: "payload is 4,097 of 4,096 bytes",
    });
  });

  it("gives VoIP 5120 bytes", () => {
    const body = (n: number) => ({
      pushType: "voip" as const,
      bundleId: BUNDLE,
      data: { x: "v".repeat(n) },
    });
    const envelope = Buffer.byteLength('{"aps":{},"x":""}');
    const ok = buildNotification(body(5120 - envelope));
    expect([ok.size, ok.limit, hasErrors(ok.issues)]).toStrictEqual([5120, 5120, false]);
    const over = buildNotification(body(5121 - envelope));
    expect(over.issues.map((i) => i.message)).toContain("payload is 5,121 of 5,120 bytes");
  });

  it("counts emoji as 4 bytes and CJK as 3", () => {
    // Envelope `{"aps":{"alert":""}}` is 20 bytes; 1019 emoji fill the rest exactly.
    const alert = (text: string) =>
      buildNotification({ pushType: "alert", bundleId: BUNDLE, aps: { alert: text } });
    const emoji = alert("🎉".repeat(1019));
    expect(emoji.body.length).toBe(2058); // UTF-16 units: not what Apple counts
    expect([emoji.size, hasErrors(emoji.issues)]).toStrictEqual([4096, false]);
    const emojiOver = alert("🎉".repeat(1019) + "a");
    expect(emojiOver.issues.map((i) => i.message)).toContain("payload is 4,097 of 4,096 bytes");

    const cjk = alert("促".repeat(1358) + "ab");
    expect([cjk.size, hasErrors(cjk.issues)]).toStrictEqual([4096, false]);
    const cjkOver = alert("促".repeat(1358) + "abc");
    expect(cjkOver.issues.map((i) => i.message)).toContain("payload is 4,097 of 4,096 bytes");
  });
});

describe("header rules", () => {
  it("background pushes must use priority 5", () => {
    expect(
      errorsOf({
        pushType: "background",
        bundleId: BUNDLE,
        priority: 10,
        aps: { "content-available": 1 },
      }),
    ).toStrictEqual(["background pushes must use priority 5"]);
  });

  it("background pushes need content-available", () => {
    expect(errorsOf({ pushType: "background", bundleId: BUNDLE })).toStrictEqual([
      "background pushes need content-available set to 1",
    ]);
  });

  it("Push to Talk needs expiration 0 and priority 10", () => {
    expect(
      errorsOf({
        pushType: "pushtotalk",
        bundleId: BUNDLE,
        expiration: 1_900_000_000,
        priority: 5,
      }),
    ).toStrictEqual([
      "Push to Talk pushes must use priority 10",
      "Push to Talk pushes must have expiration 0: delivered now or never",
    ]);
  });

  it("refuses a topic that does not fit the push type", () => {
    expect(errorsOf({ pushType: "voip", topic: "com.acme.shop" })).toStrictEqual([
      'VoIP pushes must go to a topic ending in ".voip", not "com.acme.shop"',
    ]);
    expect(
      errorsOf({ pushType: "alert", topic: "com.acme.shop.voip", aps: { alert: "x" } }),
    ).toStrictEqual(['alert pushes must go to the app\'s bundle id, not "com.acme.shop.voip"']);
    expect(errorsOf({ pushType: "alert", aps: { alert: "x" } })).toStrictEqual([
      "a topic (the app's bundle id) is required",
    ]);
    expect(errorsOf({ pushType: "mdm", data: { mdm: "m" } })).toContain(
      "MDM pushes need the topic from the MDM certificate",
    );
  });

  it("collapse id: 64 bytes ok, 65 refused, multi-byte counted in bytes", () => {
    expect(
      errorsOf({
        pushType: "alert",
        bundleId: BUNDLE,
        aps: { alert: "x" },
        collapseId: "c".repeat(64),
      }),
    ).toStrictEqual([]);
    expect(
      errorsOf({
        pushType: "alert",
        bundleId: BUNDLE,
        aps: { alert: "x" },
        collapseId: "c".repeat(65),
      }),
    ).toStrictEqual(["collapse id is 65 of 64 bytes"]);
    // 22 characters, 66 bytes.
    expect(
      errorsOf({
        pushType: "alert",
        bundleId: BUNDLE,
        aps: { alert: "x" },
        collapseId: "促".repeat(22),
      }),
    ).toStrictEqual(["collapse id is 66 of 64 bytes"]);
  });

  it("apns-id must be a canonical lowercase UUID", () => {
    const uuid = "123E4567-E89B-42D3-A456-426614174000";
    expect(
      errorsOf({ pushType: "alert", bundleId: BUNDLE, aps: { alert: "x" }, apnsId: uuid }),
    ).toHaveLength(1);
    expect(
      errorsOf({
        pushType: "alert",
        bundleId: BUNDLE,
        aps: { alert: "x" },
        apnsId: uuid.toLowerCase(),
      }),
    ).toHaveLength(0);
    expect(
      errorsOf({
        pushType: "alert",
        bundleId: BUNDLE,
        aps: { alert: "x" },
        apnsId: "123e4567e89b42d3a456426614174000",
      }),
    ).toHaveLength(1);
  });

  it("priority must be 10, 5 or 1", () => {
    const built = buildNotification({ pushType: "alert", bundleId: BUNDLE, aps: { alert: "x" } });
    for (const [priority, ok] of [
      ["10", true],
      ["5", true],
      ["1", false],
      ["7", false],
      ["05", false],
    ] as const) {
      const issues = validateRequest({
        headers: { ...built.headers, "apns-priority": priority },
        body: built.body,
      }).issues;
      expect([priority, hasErrors(issues)]).toStrictEqual([priority, !ok]);
    }
  });

  it("location and Live Activity pushes need token auth", () => {
    expect(requiresTokenAuth("location")).toBe(true);
    expect(requiresTokenAuth("liveactivity")).toBe(true);
    expect(requiresTokenAuth("alert")).toBe(false);
    const built = buildNotification(
      { pushType: "location", bundleId: BUNDLE },
      { auth: "certificate" },
    );
    expect(built.issues.map((i) => i.message)).toContain(
      "location pushes can only be sent with a .p8 signing key, not a certificate",
    );
  });
});

describe("aps rules", () => {
  it("warns that critical sounds need the entitlement and checks volume", () => {
    const built = buildNotification({
      pushType: "alert",
      bundleId: BUNDLE,
      aps: { alert: "Flood warning", sound: { critical: 1, name: "siren.caf", volume: 1.5 } },
    });
    expect(built.body).toBe(
      '{"aps":{"alert":"Flood warning","sound":{"critical":1,"name":"siren.caf","volume":1.5}}}',
    );
    expect(built.issues).toStrictEqual([
      {
        severity: "warning",
        field: "aps.sound",
        message: "critical sound needs Apple's critical-alerts entitlement",
      },
      {
        severity: "error",
        field: "aps.sound",
        message: "critical sound volume must be between 0 and 1",
      },
    ]);
  });

  it("Live Activity start needs event, timestamp, content-state and attributes", () => {
    expect(
      errorsOf({ pushType: "liveactivity", bundleId: BUNDLE, aps: { event: "start" } }),
    ).toStrictEqual([
      "Live Activity pushes need a timestamp (the device drops older updates)",
      "a Live Activity start needs content-state",
      "starting a Live Activity needs attributes-type and attributes",
    ]);
    expect(
      errorsOf({ pushType: "liveactivity", bundleId: BUNDLE, aps: { timestamp: 1 } }),
    ).toContain("Live Activity pushes need an event: start, update or end");
    expect(
      errorsOf({
        pushType: "liveactivity",
        bundleId: BUNDLE,
        aps: { event: "end", timestamp: 1, "dismissal-date": 2 },
      }),
    ).toStrictEqual([]);
  });

  it("widget pushes need content-changed", () => {
    expect(errorsOf({ pushType: "widgets", bundleId: BUNDLE })).toStrictEqual([
      "widget pushes need content-changed set to true",
    ]);
  });

  it("validateRequest reads the body it is given", () => {
    const headers = { "apns-push-type": "alert", "apns-topic": BUNDLE, "apns-priority": "10" };
    expect(validateRequest({ headers, body: "" }).issues.map((i) => i.message)).toStrictEqual([
      "the payload is empty",
    ]);
    expect(validateRequest({ headers, body: "[1]" }).issues.map((i) => i.message)).toStrictEqual([
      "the payload is not a JSON object",
    ]);
    expect(
      validateRequest({ headers, body: '{"aps":{"badge":-1}}' }).issues.map((i) => i.message),
    ).toStrictEqual(["badge must be a whole number, 0 or more (0 clears it)"]);
    expect(
      validateRequest({ headers, body: '{"aps":{"alert":"x"}}', deviceToken: "xyz" }).issues.map(
        (i) => i.field,
      ),
    ).toStrictEqual(["deviceToken"]);
  });
});
