import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { PEER_ADDRESS_HEADER } from "@/lib/auth/client-ip";
import proxy from "@/proxy";

// proxy.ts puts the page headers on: a nonce CSP (and the nonce for Next and the root layout), HSTS
// only over HTTPS from a trusted proxy; it still sends visitors without a session to sign in.
const request = (path: string, headers: Record<string, string> = {}) =>
  new NextRequest(new URL(path, "http://localhost:3000"), { headers });

afterEach(() => {
  delete process.env.PUSHDECK_TRUST_PROXY;
});

describe("proxy", () => {
  it("gives the sign-in page a nonce CSP and hands the nonce on to Next", () => {
    const response = proxy(request("/login"));
    const csp = response.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(response.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("redirects a visitor without a session, with the headers too", () => {
    const response = proxy(request("/devices?user=u"));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(
      "http://localhost:3000/login?callbackUrl=%2Fdevices%3Fuser%3Du",
    );
    expect(response.headers.get("content-security-policy")).toContain("'strict-dynamic'");
  });

  it("adds HSTS (and upgrade-insecure-requests) behind a trusted HTTPS proxy only", () => {
    const viaProxy = { [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-proto": "https" };
    expect(proxy(request("/login", viaProxy)).headers.get("strict-transport-security")).toBeNull();
    process.env.PUSHDECK_TRUST_PROXY = "10.0.0.0/8";
    const response = proxy(request("/login", viaProxy));
    expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=/);
    expect(response.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });
});
