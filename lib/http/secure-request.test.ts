import { describe, expect, it } from "vitest";
import { parseTrustProxy, PEER_ADDRESS_HEADER } from "@/lib/auth/client-ip";
import { isHttpsRequest, peerFromHeaders } from "./secure-request";

const https = { "x-forwarded-proto": "https" };

describe("isHttpsRequest", () => {
  it("never believes X-Forwarded-Proto without a trusted proxy (http://localhost gets no HSTS)", () => {
    expect(isHttpsRequest("127.0.0.1", https, parseTrustProxy(undefined))).toBe(false);
    expect(isHttpsRequest("127.0.0.1", {}, parseTrustProxy(undefined))).toBe(false);
  });

  it("believes it from a trusted proxy: the nearest one's word, the last value", () => {
    const hop = parseTrustProxy("1");
    expect(isHttpsRequest("10.0.0.2", https, hop)).toBe(true);
    expect(isHttpsRequest("10.0.0.2", { "x-forwarded-proto": "http, https" }, hop)).toBe(true);
    expect(isHttpsRequest("10.0.0.2", { "x-forwarded-proto": "https, http" }, hop)).toBe(false);
    expect(isHttpsRequest("10.0.0.2", {}, hop)).toBe(false);
  });

  it("with a list of proxies, only from a peer on the list", () => {
    const list = parseTrustProxy("10.0.0.0/8");
    expect(isHttpsRequest("10.1.2.3", https, list)).toBe(true);
    expect(isHttpsRequest("::ffff:10.1.2.3", https, list)).toBe(true);
    expect(isHttpsRequest("203.0.113.9", https, list)).toBe(false);
    expect(isHttpsRequest(null, https, list)).toBe(false);
  });

  it("reads Web headers too, and the stamped peer inside Next", () => {
    const headers = new Headers({ ...https, [PEER_ADDRESS_HEADER]: "10.0.0.2" });
    expect(isHttpsRequest(peerFromHeaders(headers), headers, parseTrustProxy("1"))).toBe(true);
  });
});
