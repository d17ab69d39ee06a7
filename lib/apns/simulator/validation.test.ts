// Every 400/404/405/410/413/429 reason of docs/apns.md §5, triggered through a raw node:http2
// client over real TLS, in Apple's check order (docs/apns.md §11 item 1).

import type { ClientHttp2Session } from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startSimulator } from "./index";
import { TOKEN, connectTo, createTestKey, nowSeconds, send, type TestKey } from "./test-helpers";
import type { Simulator } from "./types";

let sim: Simulator;
let session: ClientHttp2Session;
let key: TestKey;
let jwt: string;

const token = (n: number) => n.toString(16).padStart(64, "0");

beforeAll(async () => {
  key = await createTestKey();
  sim = await startSimulator({ keys: [key] });
  session = await connectTo(sim);
  jwt = await key.sign(nowSeconds());
});

afterAll(async () => {
  session.close();
  await sim.close();
});

async function expectReason(options: Parameters<typeof send>[1], status: number, reason: string) {
  const response = await send(session, { jwt, ...options });
  expect({ status: response.status, reason: response.json?.reason }).toEqual({ status, reason });
  expect(response.headers["apns-id"]).toMatch(/^[0-9a-f-]{36}$/);

  return response;
}

describe("accepted pushes", () => {
  it("answers 200 with an empty body, echoes apns-id and adds apns-unique-id in sandbox", async () => {
    const apnsId = "123e4567-e89b-12d3-a456-426614174000";
    const response = await send(session, { jwt, headers: { "apns-id": apnsId } });
    expect(response.status).toBe(200);
    expect(response.body).toBe("");
    expect(response.headers["apns-id"]).toBe(apnsId);
    expect(response.headers["apns-unique-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("generates an apns-id when none was sent, and accepts every push type on its topic", async () => {
    const cases = [
      ["background", "com.example.app", "5"],
      ["voip", "com.example.app.voip", "10"],
      ["complication", "com.example.app.complication", "10"],
      ["fileprovider", "com.example.app.pushkit.fileprovider", "10"],
      ["location", "com.example.app.location-query", "10"],
      ["liveactivity", "com.example.app.push-type.liveactivity", "10"],
      ["pushtotalk", "com.example.app.voip-ptt", "10"],
      ["widgets", "com.example.app.push-type.widgets", "5"],
      ["controls", "com.example.app.push-type.controls", "5"],
      ["mdm", "com.apple.mgmt.External.0f0c2f5e", "10"],
    ];
    for (const [pushType, topic, priority] of cases) {
      const response = await send(session, {
        jwt,
        headers: { "apns-push-type": pushType, "apns-topic": topic, "apns-priority": priority },
      });
      expect([pushType, response.status]).toEqual([pushType, 200]);
      expect(response.headers["apns-id"]).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("accepts a 5120-byte VoIP payload and a 4096-byte alert", async () => {
    const body = (n: number) => JSON.stringify({ aps: {}, pad: "x".repeat(n - 19) });
    expect(Buffer.byteLength(body(4096))).toBe(4096);
    expect((await send(session, { jwt, body: body(4096) })).status).toBe(200);
    const voip = { "apns-push-type": "voip", "apns-topic": "com.example.app.voip" };
    expect((await send(session, { jwt, body: body(5120), headers: voip })).status).toBe(200);
  });
});

describe("400 / 404 / 405 / 413 reasons", () => {
  it("DuplicateHeaders", () =>
    expectReason(
      { headers: { "apns-topic": ["com.example.app", "com.example.app"] } },
      400,
      "DuplicateHeaders",
    ));

  it("BadMessageId, answered with a generated apns-id", async () => {
    const response = await expectReason(
      { headers: { "apns-id": "not-a-uuid" } },
      400,
      "BadMessageId",
    );
    expect(response.headers["apns-id"]).not.toBe("not-a-uuid");
  });

  it("MethodNotAllowed", () =>
    expectReason({ headers: { ":method": "PUT" } }, 405, "MethodNotAllowed"));
  it("MissingTopic", () =>
    expectReason({ headers: { "apns-topic": undefined } }, 400, "MissingTopic"));
  it("BadTopic: malformed", () =>
    expectReason({ headers: { "apns-topic": "com example/app" } }, 400, "BadTopic"));
  it("BadTopic: voip push type on the bare bundle", () =>
    expectReason({ headers: { "apns-push-type": "voip" } }, 400, "BadTopic"));
  it("BadTopic: alert on a .voip topic", () =>
    expectReason({ headers: { "apns-topic": "com.example.app.voip" } }, 400, "BadTopic"));
  it("BadCollapseId over 64 bytes", () =>
    expectReason({ headers: { "apns-collapse-id": "é".repeat(33) } }, 400, "BadCollapseId"));
  it("a 64-byte collapse id is fine", async () => {
    expect(
      (await send(session, { jwt, headers: { "apns-collapse-id": "c".repeat(64) } })).status,
    ).toBe(200);
  });
  it("BadPriority", () => expectReason({ headers: { "apns-priority": "7" } }, 400, "BadPriority"));
  it("BadPriority: background at 10", () =>
    expectReason(
      { headers: { "apns-push-type": "background", "apns-priority": "10" } },
      400,
      "BadPriority",
    ));
  it("BadExpirationDate", () =>
    expectReason({ headers: { "apns-expiration": "tomorrow" } }, 400, "BadExpirationDate"));
  it("InvalidPushType", () =>
    expectReason({ headers: { "apns-push-type": "banner" } }, 400, "InvalidPushType"));
  it("BadPath", () => expectReason({ path: `/3/devices/${TOKEN}` }, 404, "BadPath"));
  it("BadPath for another API version", () =>
    expectReason({ path: `/2/device/${TOKEN}` }, 404, "BadPath"));
  it("MissingDeviceToken", () => expectReason({ path: "/3/device/" }, 400, "MissingDeviceToken"));
  it("BadDeviceToken: not hex", () =>
    expectReason({ token: "z".repeat(64) }, 400, "BadDeviceToken"));
  it("BadDeviceToken: odd length", () =>
    expectReason({ token: "a".repeat(65) }, 400, "BadDeviceToken"));
  it("BadDeviceToken: too short", () => expectReason({ token: "abcd" }, 400, "BadDeviceToken"));

  it("BadDeviceToken: marked bad, or registered to the other environment", async () => {
    sim.markBad(token(1));
    await expectReason({ token: token(1) }, 400, "BadDeviceToken");
    sim.registerToken(token(2), { environment: "production" });
    await expectReason({ token: token(2) }, 400, "BadDeviceToken");
    sim.registerToken(token(3), { environment: "sandbox" });
    expect((await send(session, { jwt, token: token(3) })).status).toBe(200);
  });

  it("DeviceTokenNotForTopic", async () => {
    sim.setTokenTopic(token(4), "com.example.other");
    await expectReason({ token: token(4) }, 400, "DeviceTokenNotForTopic");
    expect(
      (
        await send(session, {
          jwt,
          token: token(4),
          headers: { "apns-topic": "com.example.other" },
        })
      ).status,
    ).toBe(200);
  });

  it("PayloadEmpty", () => expectReason({ body: "" }, 400, "PayloadEmpty"));
  it("PayloadTooLarge: 4097 bytes", () =>
    expectReason({ body: "x".repeat(4097) }, 413, "PayloadTooLarge"));
  it("PayloadTooLarge: VoIP over 5120 bytes", () =>
    expectReason(
      {
        body: "x".repeat(5121),
        headers: { "apns-push-type": "voip", "apns-topic": "com.example.app.voip" },
      },
      413,
      "PayloadTooLarge",
    ));
});

describe("410 and 429", () => {
  it("Unregistered carries the timestamp (ms)", async () => {
    sim.markUnregistered(token(5), 1_700_000_000_123);
    const response = await expectReason({ token: token(5) }, 410, "Unregistered");
    expect(response.json).toEqual({ reason: "Unregistered", timestamp: 1_700_000_000_123 });
  });

  it("ExpiredToken", () => (
    sim.markExpired(token(6)),
    expectReason({ token: token(6) }, 410, "ExpiredToken")
  ));

  it("TooManyRequests for a throttled token, cleared again", async () => {
    sim.tooManyRequestsFor(token(7));
    await expectReason({ token: token(7) }, 429, "TooManyRequests");
    sim.tooManyRequestsFor(token(7), false);
    expect((await send(session, { jwt, token: token(7) })).status).toBe(200);
  });
});

describe("check order", () => {
  it("apns-id before method before topic", async () => {
    await expectReason(
      { headers: { "apns-id": "x", ":method": "PUT", "apns-topic": undefined } },
      400,
      "BadMessageId",
    );
    await expectReason(
      { headers: { ":method": "PUT", "apns-topic": undefined } },
      405,
      "MethodNotAllowed",
    );
  });

  it("token state (410) before auth, auth before the payload checks", async () => {
    sim.markUnregistered(token(8), 42);
    expect((await send(session, { token: token(8) })).json).toEqual({
      reason: "Unregistered",
      timestamp: 42,
    });
    expect((await send(session, { body: "" })).json?.reason).toBe("MissingProviderToken");
  });
});

describe("injected 429 / 500 / 503", () => {
  it.each([
    ["rate429", 429, "TooManyRequests"],
    ["rate500", 500, "InternalServerError"],
    ["rate503", 503, "ServiceUnavailable"],
  ] as const)(
    "%s = 1 answers %i %s, only for otherwise valid pushes",
    async (fault, status, reason) => {
      sim.setFaults({ [fault]: 1 });
      try {
        await expectReason({}, status, reason);
        await expectReason({ headers: { "apns-priority": "2" } }, 400, "BadPriority");
      } finally {
        sim.setFaults({ [fault]: 0 });
      }
    },
  );
});

describe("production mode", () => {
  it("has no apns-unique-id and refuses sandbox-registered tokens", async () => {
    const production = await startSimulator({ mode: "production", keys: [key] });
    const client = await connectTo(production);
    try {
      const ok = await send(client, { jwt });
      expect(ok.status).toBe(200);
      expect(ok.headers["apns-unique-id"]).toBeUndefined();
      production.registerToken(token(9), { environment: "sandbox" });
      expect((await send(client, { jwt, token: token(9) })).json?.reason).toBe("BadDeviceToken");
    } finally {
      client.close();
      await production.close();
    }
  });
});
