import { request as httpRequest, createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientIp,
  installPeerAddressStamp,
  normalizeIp,
  parseTrustProxy,
  PEER_ADDRESS_HEADER,
  resolveClientIp,
} from "./client-ip";

const none = parseTrustProxy(undefined);
const oneHop = parseTrustProxy("1");
const twoHops = parseTrustProxy("2");
const listed = parseTrustProxy("10.0.0.0/8, 127.0.0.1, 2001:db8::/32");

describe("resolveClientIp", () => {
  it.each([
    // [what, trust, peer, x-forwarded-for, expected]
    ["no trust: the peer, whatever the header says", none, "203.0.113.9", "1.2.3.4", "203.0.113.9"],
    ["no trust, no header", none, "203.0.113.9", undefined, "203.0.113.9"],
    ["no trust: x-real-ip is ignored too", none, "203.0.113.9", undefined, "203.0.113.9"],
    ["IPv4-mapped peer", none, "::ffff:203.0.113.9", undefined, "203.0.113.9"],
    ["unknown peer", none, undefined, "1.2.3.4", null],
    [
      "one hop: the address the proxy appended",
      oneHop,
      "10.0.0.2",
      "6.6.6.6, 198.51.100.7",
      "198.51.100.7",
    ],
    ["one hop, no header (direct)", oneHop, "198.51.100.7", undefined, "198.51.100.7"],
    ["two hops", twoHops, "10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.3", "198.51.100.7"],
    ["two hops, fewer entries: the leftmost", twoHops, "10.0.0.2", "198.51.100.7", "198.51.100.7"],
    ["one hop, ports and brackets", oneHop, "10.0.0.2", "[2001:DB8:0:0::7]:443", "2001:db8::7"],
    ["one hop, IPv4 with a port", oneHop, "10.0.0.2", "198.51.100.7:5123", "198.51.100.7"],
    ["list: untrusted peer, header ignored", listed, "203.0.113.9", "1.2.3.4", "203.0.113.9"],
    ["list: trusted peer", listed, "10.1.2.3", "6.6.6.6, 198.51.100.7", "198.51.100.7"],
    ["list: trusted chain", listed, "127.0.0.1", "6.6.6.6, 198.51.100.7, 10.9.9.9", "198.51.100.7"],
    ["list: IPv6 proxy", listed, "2001:db8::1", "198.51.100.7", "198.51.100.7"],
    ["list: mapped loopback peer", listed, "::ffff:127.0.0.1", "198.51.100.7", "198.51.100.7"],
    ["list: all trusted: the leftmost", listed, "127.0.0.1", "10.0.0.1, 10.0.0.2", "10.0.0.1"],
    [
      "list: garbage left of a real hop stops there",
      listed,
      "10.0.0.1",
      "evil, 198.51.100.7",
      "198.51.100.7",
    ],
    ["list: garbage right after the peer", listed, "10.0.0.1", "1.2.3.4, not-an-ip", "10.0.0.1"],
  ] as const)("%s", (_what, trust, peer, forwarded, expected) => {
    const headers = new Headers(forwarded ? { "x-forwarded-for": forwarded } : {});
    headers.set("x-real-ip", "9.9.9.9");
    expect(resolveClientIp(peer, headers, trust)).toBe(expected);
  });

  it("reads node:http header objects too, with repeated headers in order", () => {
    const headers: IncomingHttpHeaders = { "x-forwarded-for": "6.6.6.6, 198.51.100.7" };
    expect(resolveClientIp("10.0.0.2", headers, oneHop)).toBe("198.51.100.7");
    expect(resolveClientIp("10.0.0.2", headers, none)).toBe("10.0.0.2");
  });

  it("forging the header cannot make two requests from one address look like two callers", () => {
    const seen = new Set(
      Array.from({ length: 20 }, (_, i) =>
        resolveClientIp("203.0.113.9", new Headers({ "x-forwarded-for": `1.2.3.${i}` }), none),
      ),
    );
    expect([...seen]).toEqual(["203.0.113.9"]);
  });
});

describe("parseTrustProxy", () => {
  it.each(["", " ", "0", "false", undefined])("%j trusts nothing", (value) => {
    expect(parseTrustProxy(value)).toEqual({ kind: "none" });
  });

  it.each(["10.0.0.0/33", "proxy.example", "1.2.3.4/", "1.2.3.4/8/8", "::1/129", "10.0.0.0/-1"])(
    "refuses %j with a message naming it",
    (value) => {
      expect(() => parseTrustProxy(value)).toThrow(`"${value}"`);
    },
  );
});

it.each([
  ["127.0.0.1", "127.0.0.1"],
  ["::FFFF:7f00:1", "127.0.0.1"],
  ["2001:0db8:0000::0001", "2001:db8::1"],
  ["fe80::1%eth0", "fe80::1"],
  ["nonsense", null],
  ["", null],
])("normalizeIp(%j) → %j", (raw, expected) => {
  expect(normalizeIp(raw)).toBe(expected);
});

describe("the peer-address stamp on a real node:http server", () => {
  let port = 0;
  const server = createServer((req, res) => {
    const fromRaw = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      fromRaw.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    res.end(
      JSON.stringify({
        next: clientIp(req.headers),
        raw: clientIp(fromRaw),
        socket: resolveClientIp(req.socket.remoteAddress, req.headers),
      }),
    );
  });
  beforeAll(async () => {
    installPeerAddressStamp();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (from: string, headers: Record<string, string>) =>
    new Promise<Record<string, string>>((resolve, reject) => {
      const req = httpRequest(
        { host: "127.0.0.1", port, path: "/", localAddress: from, headers, agent: false },
        (res) => {
          let body = "";
          res.on("data", (chunk) => (body += chunk));
          res.on("end", () => resolve(JSON.parse(body)));
        },
      );
      req.on("error", reject);
      req.end();
    });

  it("replaces a peer address a client sends, in headers and rawHeaders alike", async () => {
    const answer = await get("127.0.0.2", {
      [PEER_ADDRESS_HEADER]: "198.51.100.1",
      "x-forwarded-for": "198.51.100.2",
    });
    expect(answer).toEqual({ next: "127.0.0.2", raw: "127.0.0.2", socket: "127.0.0.2" });
  });
});
