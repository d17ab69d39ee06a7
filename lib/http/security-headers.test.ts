import { describe, expect, it } from "vitest";
import {
  API_CSP,
  createNonce,
  HSTS_HEADER,
  pageCsp,
  securityHeaders,
  STATIC_SECURITY_HEADERS,
} from "./security-headers";

const directives = (csp: string) =>
  new Map(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

describe("page CSP", () => {
  it("allows scripts by nonce (and what they load), nothing inline or from elsewhere", () => {
    const csp = directives(pageCsp("abc123=="));
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.has("upgrade-insecure-requests")).toBe(false);
  });

  it("needs eval only in development, and upgrades requests only over HTTPS", () => {
    expect(directives(pageCsp("n", { dev: true })).get("script-src")).toContain("'unsafe-eval'");
    expect(pageCsp("n", { https: true })).toMatch(/; upgrade-insecure-requests$/);
  });

  it("API responses may load nothing and be framed by nobody", () => {
    expect(directives(API_CSP).get("default-src")).toEqual(["'none'"]);
    expect(directives(API_CSP).get("frame-ancestors")).toEqual(["'none'"]);
  });
});

describe("securityHeaders", () => {
  it("is the static set plus a CSP, and HSTS only over HTTPS", () => {
    const http = new Map(securityHeaders({ https: false }));
    for (const [name, value] of STATIC_SECURITY_HEADERS) expect(http.get(name)).toBe(value);
    expect(http.get("Content-Security-Policy")).toBe(API_CSP);
    expect(http.has(HSTS_HEADER[0])).toBe(false);
    expect(new Map(securityHeaders({ https: true })).get(HSTS_HEADER[0])).toMatch(
      /^max-age=31536000/,
    );
    expect(new Map(STATIC_SECURITY_HEADERS).get("Permissions-Policy")).toContain("camera=()");
  });
});

it("nonces are 128 random bits, base64, never repeated", () => {
  const nonces = new Set(Array.from({ length: 1000 }, createNonce));
  expect(nonces.size).toBe(1000);
  for (const nonce of [...nonces].slice(0, 10)) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
});
