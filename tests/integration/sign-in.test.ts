import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { SIGN_IN_LIMITS } from "@/lib/auth/throttle";
import { SESSION_LIFETIME } from "@/lib/auth/sessions";
import { hashPassword } from "@/lib/auth/password";
import { SESSION_COOKIE, startAuthServer, type AuthServer } from "./helpers/auth-server";
import { testProvider } from "./helpers/test-database";

// Sign-in, sessions and sign-out end to end through next-auth's route handlers on a real HTTP
// server (tests/integration/helpers/auth-server.ts), as a browser or an attacker would use them.

// Every password check goes through verifyPassword: counting its calls counts the guesses an
// attacker got checked.
const checks = vi.hoisted(() => ({ count: 0 }));
vi.mock("@/lib/auth/password", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/auth/password")>();

  return {
    ...real,
    verifyPassword: async (hash: string, password: string) => {
      checks.count++;

      return real.verifyPassword(hash, password);
    },
  };
});

const PASSWORD = "correct horse battery";
let s: AuthServer;

beforeAll(async () => {
  s = await startAuthServer();
  const passwordHash = await hashPassword(PASSWORD);
  for (const name of ["ana", "bo", "cy", "di", "ed", "flo"])
    await s.t.db.user.create({
      data: { email: `${name}@example.test`, name, role: "ADMIN", passwordHash },
    });
}, 120_000);
afterAll(() => s?.close());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  delete process.env.PUSHDECK_TRUST_PROXY;
});

async function auditIps(label: string) {
  const rows = await s.t.db.auditLog.findMany({
    where: { action: "auth.sign-in", actorLabel: label },
  });

  return rows.map((row) => row.ip);
}

describe(`sign-in on ${testProvider()}`, () => {
  // The clock stands still during each test, so that a slow machine cannot let a lock run out in the
  // middle of a burst: the counts below do not depend on timing.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
  });

  it("60 parallel wrong passwords for one account from one address get at most 5 passwords checked", async () => {
    const csrf = await s.csrf("127.0.0.2");
    checks.count = 0;
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        s.signIn("ana@example.test", `wrong-${i}`, { from: "127.0.0.2", csrf }),
      ),
    );
    expect(checks.count).toBeLessThanOrEqual(SIGN_IN_LIMITS.accountAddress.free);
    expect(checks.count).toBeGreaterThan(0);
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(results.filter((r) => r.code === "rate_limited").length).toBeGreaterThanOrEqual(
      60 - SIGN_IN_LIMITS.accountAddress.free,
    );
  });

  it("an attacker hammering an account cannot keep its owner out, signing in from elsewhere", async () => {
    const csrf = await s.csrf("127.0.0.3");
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        s.signIn("bo@example.test", `guess-${i}`, { from: "127.0.0.3", csrf }),
      ),
    );
    // The attacker's address is held back, even with the right password…
    expect(await s.signIn("bo@example.test", PASSWORD, { from: "127.0.0.3" })).toMatchObject({
      ok: false,
      code: "rate_limited",
    });
    // …while the owner, from another address, signs in.
    const owner = await s.signIn("bo@example.test", PASSWORD, { from: "127.0.0.4" });
    expect(owner.ok).toBe(true);
    expect(new URL(owner.location!).pathname).toBe("/devices");
    expect((await s.session(owner.cookies, "127.0.0.4")).json?.user?.email).toBe("bo@example.test");
  });

  it("X-Forwarded-For neither escapes the per-address limit nor lands in the audit log", async () => {
    const csrf = await s.csrf("127.0.0.5");
    checks.count = 0;
    const attempts = SIGN_IN_LIMITS.address.free + 10;
    for (let i = 0; i < attempts; i++)
      await s.signIn(`nobody${i}@example.test`, "guess", {
        from: "127.0.0.5",
        csrf,
        headers: { "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `198.51.100.${i}` },
      });
    expect(checks.count).toBe(SIGN_IN_LIMITS.address.free);
    const ips = (await s.t.db.auditLog.findMany({ where: { action: "auth.sign-in" } }))
      .filter((row) => row.actorLabel.startsWith("nobody"))
      .map((row) => row.ip);
    expect(new Set(ips)).toEqual(new Set(["127.0.0.5"]));
  });

  it("a forged X-Forwarded-For cannot get another address throttled", async () => {
    const csrf = await s.csrf("127.0.0.6");
    for (let i = 0; i < 10; i++)
      await s.signIn("cy@example.test", `guess-${i}`, {
        from: "127.0.0.6",
        csrf,
        headers: { "x-forwarded-for": "127.0.0.7" },
      });
    expect((await s.signIn("cy@example.test", PASSWORD, { from: "127.0.0.7" })).ok).toBe(true);
  });

  it("with PUSHDECK_TRUST_PROXY naming a proxy, the address that proxy forwards is the caller", async () => {
    process.env.PUSHDECK_TRUST_PROXY = "127.0.0.8";
    await s.signIn("di@example.test", "guess", {
      from: "127.0.0.8",
      headers: { "x-forwarded-for": "203.0.113.50, 198.51.100.23" },
    });
    await s.signIn("di@example.test", "guess", {
      from: "127.0.0.9",
      headers: { "x-forwarded-for": "198.51.100.24" },
    });
    expect(await auditIps("di@example.test")).toEqual(["198.51.100.23", "127.0.0.9"]);
  });
});

describe(`sessions on ${testProvider()}`, () => {
  it("signing out ends the session, for every copy of its cookie", async () => {
    const signedIn = await s.signIn("ed@example.test", PASSWORD, { from: "127.0.0.10" });
    expect(signedIn.ok).toBe(true);
    const copy = { [SESSION_COOKIE]: signedIn.cookies[SESSION_COOKIE] };
    expect((await s.session(copy)).json?.user?.email).toBe("ed@example.test");

    const out = await s.signOut(copy, "127.0.0.10");
    expect(out.status).toBe(302);
    expect(out.cookies[SESSION_COOKIE]).toBe("");
    expect((await s.session(copy)).json).toBeNull();
    expect(
      await s.t.db.auditLog.count({
        where: { action: "auth.sign-out", actorLabel: "ed@example.test" },
      }),
    ).toBe(1);
  });

  it("a session ends 12 hours after sign-in, however often its cookie was refreshed", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = new Date();
    vi.setSystemTime(start);
    const signedIn = await s.signIn("flo@example.test", PASSWORD, { from: "127.0.0.11" });
    let cookies = { [SESSION_COOKIE]: signedIn.cookies[SESSION_COOKIE] };
    const first = cookies[SESSION_COOKIE];
    for (const hours of [3, 6, 9, 11.9]) {
      vi.setSystemTime(start.getTime() + hours * 3_600_000);
      const reply = await s.session(cookies);
      expect(reply.json?.user?.email, `after ${hours} h`).toBe("flo@example.test");
      // The cookie is re-issued with a fresh expiry on every read…
      expect(reply.cookies[SESSION_COOKIE]).toBeTruthy();
      cookies = { [SESSION_COOKIE]: reply.cookies[SESSION_COOKIE] };
    }
    expect(cookies[SESSION_COOKIE]).not.toBe(first);
    // …but the session itself ends at 12 hours.
    vi.setSystemTime(start.getTime() + SESSION_LIFETIME.absoluteMs + 60_000);
    const late = await s.session(cookies);
    expect(late.json).toBeNull();
    expect(late.cookies[SESSION_COOKIE]).toBe("");
  });

  it("disabling a user ends their sessions", async () => {
    const signedIn = await s.signIn("ed@example.test", PASSWORD, { from: "127.0.0.12" });
    const cookies = { [SESSION_COOKIE]: signedIn.cookies[SESSION_COOKIE] };
    expect((await s.session(cookies)).json?.user?.email).toBe("ed@example.test");
    await s.t.db.user.update({ where: { email: "ed@example.test" }, data: { disabled: true } });
    expect((await s.session(cookies)).json).toBeNull();
    await s.t.db.user.update({ where: { email: "ed@example.test" }, data: { disabled: false } });
  });

  it("a garbage session cookie is no session, and is logged once rather than per request", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const value of ["garbage", "eyJhbGciOiJkaXIifQ..x.y.z", "a.b.c.d.e"]) {
      const reply = await s.session({ [SESSION_COOKIE]: value });
      expect(reply.status).toBe(200);
      expect(reply.json).toBeNull();
    }
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/treated as signed out/);
  });
});
