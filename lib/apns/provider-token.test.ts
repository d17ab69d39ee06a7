import { generateKeyPairSync } from "node:crypto";

import { decodeJwt, decodeProtectedHeader, importSPKI, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";

import { ProviderTokenSource } from "./provider-token";
import { MemoryProviderTokenStore } from "./provider-token-store";

const MINUTE = 60_000;
const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const PRIVATE_PEM = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const PUBLIC_PEM = publicKey.export({ type: "spki", format: "pem" }).toString();

function setup(
  start = Date.UTC(2026, 0, 1),
  extra: { store?: MemoryProviderTokenStore; renewAfterMs?: number } = {},
) {
  const clock = { ms: start };
  const source = new ProviderTokenSource({
    keyId: "ABCDE12345",
    teamId: "TEAM123456",
    privateKeyPem: PRIVATE_PEM,
    now: () => clock.ms,
    ...extra,
  });

  return { clock, source, advance: (minutes: number) => (clock.ms += minutes * MINUTE) };
}

describe("ProviderTokenSource", () => {
  it("signs an ES256 JWT with kid, iss and iat only", async () => {
    const { source, clock } = setup();
    const { token } = await source.get();
    expect(decodeProtectedHeader(token)).toStrictEqual({ alg: "ES256", kid: "ABCDE12345" });
    expect(decodeJwt(token)).toStrictEqual({ iss: "TEAM123456", iat: Math.floor(clock.ms / 1000) });
    const key = await importSPKI(PUBLIC_PEM, "ES256");
    await expect(jwtVerify(token, key, { currentDate: new Date(clock.ms) })).resolves.toBeTruthy();
  });

  it("keeps one token until 50 minutes, then renews once", async () => {
    const { source, advance } = setup();
    const first = await source.get();
    advance(20);
    expect((await source.get()).token).toBe(first.token);
    advance(29.99);
    expect((await source.get()).token).toBe(first.token);
    advance(0.01); // 50 minutes old
    const second = await source.get();
    expect(second.token).not.toBe(first.token);
    expect(second.generation).toBe(first.generation + 1);
    expect(source.mints).toBe(2);
  });

  it("never renews sooner than 20 minutes, even if configured to", async () => {
    const { source, advance } = setup(undefined, { renewAfterMs: 1 * MINUTE });
    const first = await source.get();
    advance(19.9);
    expect((await source.get()).token).toBe(first.token);
    advance(0.1);
    expect((await source.get()).token).not.toBe(first.token);
  });

  it("never serves a token 60 minutes old, even if configured to", async () => {
    const { source, advance } = setup(undefined, { renewAfterMs: 90 * MINUTE });
    const first = await source.get();
    advance(55);
    expect(source.peek()).toBeNull();
    expect((await source.get()).token).not.toBe(first.token);
  });

  it("mints exactly once for 1,000 concurrent callers", async () => {
    const { source } = setup();
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => source.get()));
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
    expect(source.mints).toBe(1);
  });

  it("mints exactly once for 1,000 concurrent callers when the token is due", async () => {
    const { source, advance } = setup();
    const first = await source.get();
    advance(50);
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => source.get()));
    expect(new Set(tokens.map((t) => t.token))).toStrictEqual(new Set([tokens[0].token]));
    expect(tokens[0].token).not.toBe(first.token);
    expect(source.mints).toBe(2);
  });

  it("ExpiredProviderToken forces exactly one renewal, even at 5 minutes old", async () => {
    const { source, advance } = setup();
    const used = await source.get();
    advance(5);
    // 1,000 requests that carried the dead token all fail at once.
    const renewed = await Promise.all(
      Array.from({ length: 1000 }, () => source.renewExpired(used)),
    );
    expect(new Set(renewed.map((t) => t.token)).size).toBe(1);
    expect(renewed[0].token).not.toBe(used.token);
    expect(source.mints).toBe(2);
    // A late failure of a request that carried the old token does not renew again.
    expect((await source.renewExpired(used)).token).toBe(renewed[0].token);
    expect(source.mints).toBe(2);
    // The new token then lives its normal life: no renewal for the next 49 minutes.
    advance(49);
    expect((await source.get()).token).toBe(renewed[0].token);
    expect(source.mints).toBe(2);
  });

  it("shares one token between processes through the store", async () => {
    const store = new MemoryProviderTokenStore();
    const start = Date.UTC(2026, 0, 1);
    const a = setup(start, { store });
    const b = setup(start, { store });
    // Racing first calls may both sign, but only one token wins the store and both use it.
    const [ta, tb] = await Promise.all([a.source.get(), b.source.get()]);
    expect(ta.token).toBe(tb.token);
    expect((await store.get("ABCDE12345"))?.token).toBe(ta.token);
    const signedSoFar = a.source.mints + b.source.mints;

    // A renews at 50 minutes; B, due a moment later, adopts A's token instead of minting.
    a.advance(50);
    const renewedA = await a.source.get();
    b.advance(50.5);
    const renewedB = await b.source.get();
    expect(renewedB.token).toBe(renewedA.token);
    expect(renewedB.token).not.toBe(tb.token);
    expect(a.source.mints + b.source.mints).toBe(signedSoFar + 1);
  });

  it("after ExpiredProviderToken in one process, the other adopts the replacement", async () => {
    const store = new MemoryProviderTokenStore();
    const a = setup(undefined, { store });
    const b = setup(undefined, { store });
    const dead = await a.source.get();
    await b.source.get();
    const [fromA, fromB] = await Promise.all([
      a.source.renewExpired(dead),
      b.source.renewExpired(dead),
    ]);
    expect(fromA.token).toBe(fromB.token);
    expect(fromA.token).not.toBe(dead.token);
    // Both may have signed, but only one token won the store.
    expect((await store.get("ABCDE12345"))?.token).toBe(fromA.token);
  });

  it("keeps sending when the shared store fails: the current token while it is valid, else one signed here", async () => {
    const store = new MemoryProviderTokenStore();
    const { source, advance } = setup(Date.UTC(2026, 0, 1), { store });
    const first = await source.get();
    const broken = (): never => {
      throw new Error("store unreachable");
    };
    store.get = async () => broken();
    store.compareAndSet = async () => broken();
    advance(51); // due for renewal, but still valid for 9 more minutes
    await expect(source.get()).resolves.toMatchObject({ token: first.token });
    advance(5); // 56 minutes: too close to the hour to keep
    const signedHere = await source.get();
    expect(signedHere.token).not.toBe(first.token);
    // After ExpiredProviderToken the dead token is never served again, store or no store.
    const replaced = await source.renewExpired(signedHere);
    expect(replaced.token).not.toBe(signedHere.token);
  });

  it("rejects a key that is not a PKCS#8 P-256 key", async () => {
    const source = new ProviderTokenSource({ keyId: "K", teamId: "T", privateKeyPem: "not a key" });
    await expect(source.get()).rejects.toThrow();
  });
});
