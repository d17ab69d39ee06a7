// Provider-token rules (docs/apns.md §3, §11 item 2) with an injected clock.

import { SignJWT, generateKeyPair } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { startSimulator } from "./index";
import { connectTo, createTestKey, send, type TestKey } from "./test-helpers";
import type { Simulator } from "./types";

const T0 = 1_800_000_000; // seconds
let clockMs = T0 * 1000;
let sim: Simulator;
let key: TestKey;
const opened: { close(): void }[] = [];

beforeEach(async () => {
  clockMs = T0 * 1000;
  key = await createTestKey("KEY1234567", "TEAM123456");
  sim = await startSimulator({
    keys: [key],
    now: () => clockMs,
    tokenRefreshWindowMs: 20 * 60_000,
  });
});

afterEach(async () => {
  opened.splice(0).forEach((s) => s.close());
  await sim.close();
});

async function reasonFor(jwt: string | undefined, headers: Record<string, string> = {}) {
  const session = await connectTo(sim);
  opened.push(session);
  const response = await send(session, { jwt, headers });

  return response.status === 200 ? 200 : `${response.status} ${response.json?.reason}`;
}

describe("provider tokens", () => {
  it("MissingProviderToken without a bearer token, or with another scheme", async () => {
    expect(await reasonFor(undefined)).toBe("403 MissingProviderToken");
    expect(await reasonFor(undefined, { authorization: "basic abc" })).toBe(
      "403 MissingProviderToken",
    );
  });

  it("accepts a fresh token and expires it after one hour", async () => {
    const jwt = await key.sign(T0);
    expect(await reasonFor(jwt)).toBe(200);
    clockMs += 59 * 60_000;
    expect(await reasonFor(jwt)).toBe(200);
    clockMs += 2 * 60_000;
    expect(await reasonFor(jwt)).toBe("403 ExpiredProviderToken");
  });

  it("InvalidProviderToken: bad signature, unknown kid, other alg, garbage, iss not the key's team", async () => {
    const other = await createTestKey("KEY1234567", "TEAM123456"); // same kid, different private key
    expect(await reasonFor(await other.sign(T0))).toBe("403 InvalidProviderToken");
    expect(await reasonFor(await key.sign(T0, { kid: "UNKNOWN123" }))).toBe(
      "403 InvalidProviderToken",
    );
    expect(await reasonFor(await key.sign(T0, { iss: "OTHERTEAM1" }))).toBe(
      "403 InvalidProviderToken",
    );
    expect(await reasonFor("not.a.jwt")).toBe("403 InvalidProviderToken");
    const { privateKey } = await generateKeyPair("ES384");
    const es384 = await new SignJWT({ iss: "TEAM123456", iat: T0 })
      .setProtectedHeader({ alg: "ES384", kid: "KEY1234567" })
      .sign(privateKey);
    expect(await reasonFor(es384)).toBe("403 InvalidProviderToken");
  });

  it("TooManyProviderTokenUpdates when a key's token changes within the window, across connections", async () => {
    expect(await reasonFor(await key.sign(T0))).toBe(200);
    clockMs += 5 * 60_000;
    expect(await reasonFor(await key.sign(T0 + 300))).toBe("429 TooManyProviderTokenUpdates");
    expect(await reasonFor(await key.sign(T0))).toBe(200); // the current token still works
    clockMs += 20 * 60_000;
    expect(await reasonFor(await key.sign(T0 + 25 * 60))).toBe(200);
    expect(await reasonFor(await key.sign(T0))).toBe(200); // an older, unexpired token is tolerated
  });

  it("a connection keeps its first team: another team's valid token is InvalidProviderToken", async () => {
    const otherTeam = await createTestKey("KEYOTHER01", "TEAMOTHER1");
    sim.registerKey(otherTeam);
    const session = await connectTo(sim);
    opened.push(session);
    expect((await send(session, { jwt: await key.sign(T0) })).status).toBe(200);
    expect((await send(session, { jwt: await otherTeam.sign(T0) })).json?.reason).toBe(
      "InvalidProviderToken",
    );
    expect(await reasonFor(await otherTeam.sign(T0))).toBe(200); // fine on its own connection
  });

  it("UnrelatedKeyIdInToken: a topic-specific key after another key on the same connection", async () => {
    const topicKey = await createTestKey("KEYTOPIC01", "TEAM123456");
    sim.registerKey({ ...topicKey, topics: ["com.example.app"] });
    const teamKey2 = await createTestKey("KEYTEAM002", "TEAM123456");
    sim.registerKey(teamKey2);
    const session = await connectTo(sim);
    opened.push(session);
    expect((await send(session, { jwt: await key.sign(T0) })).status).toBe(200);
    expect((await send(session, { jwt: await teamKey2.sign(T0) })).status).toBe(200); // team keys are related
    expect((await send(session, { jwt: await topicKey.sign(T0) })).json?.reason).toBe(
      "UnrelatedKeyIdInToken",
    );
  });

  it("topic-specific keys push only to their topics (and the topics' suffixed variants)", async () => {
    const topicKey = await createTestKey("KEYTOPIC02", "TEAM123456");
    sim.registerKey({ ...topicKey, topics: ["com.example.app"] });
    const jwt = await topicKey.sign(T0);
    expect(
      await reasonFor(jwt, { "apns-push-type": "voip", "apns-topic": "com.example.app.voip" }),
    ).toBe(200);
    expect(await reasonFor(jwt, { "apns-topic": "com.example.other" })).toBe("400 TopicDisallowed");
  });

  it("BadEnvironmentKeyIdInToken for a production-only key on the sandbox simulator", async () => {
    const production = await createTestKey("KEYPROD001", "TEAM123456");
    sim.registerKey({ ...production, environment: "production" });
    expect(await reasonFor(await production.sign(T0))).toBe("403 BadEnvironmentKeyIdInToken");
    const sandbox = await createTestKey("KEYSAND001", "TEAM123456");
    sim.registerKey({ ...sandbox, environment: "sandbox" });
    expect(await reasonFor(await sandbox.sign(T0))).toBe(200);
  });

  it("registerKey accepts a public key PEM, and removeKey makes the kid unknown", async () => {
    const { createPublicKey } = await import("node:crypto");
    const pub = await createTestKey("KEYPUBLIC1", "TEAM123456");
    const publicKeyPem = createPublicKey(pub.privateKeyPem)
      .export({ type: "spki", format: "pem" })
      .toString();
    sim.registerKey({ keyId: pub.keyId, teamId: pub.teamId, publicKeyPem });
    const jwt = await pub.sign(T0);
    expect(await reasonFor(jwt)).toBe(200);
    sim.removeKey(pub.keyId);
    expect(await reasonFor(jwt)).toBe("403 InvalidProviderToken");
  });
});
