import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

/**
 * The caller's IP address, for sign-in throttling and the audit log: the one definition.
 *
 * Forwarding headers (X-Forwarded-For) are written by whoever sends the request, so they are only
 * believed when `PUSHDECK_TRUST_PROXY` says which proxies add them:
 *
 * - unset, empty, `0` or `false`: trust nothing; the caller is the socket's peer address;
 * - a number N: N proxies stand in front of Pushdeck and every request passes through them: the
 *   caller is the Nth address from the right of [X-Forwarded-For…, peer];
 * - a comma-separated list of addresses and CIDR blocks (`10.0.0.0/8, 2001:db8::/32, 127.0.0.1`):
 *   walking from the peer leftwards through X-Forwarded-For, the caller is the first address that
 *   is not one of these proxies.
 *
 * Next.js keeps a client's own X-Forwarded-For and hides the socket from route handlers, so the
 * peer address is stamped on each request as it arrives (installPeerAddressStamp) under a header
 * of ours that a client cannot set: any copy it sends is replaced.
 */

export type TrustProxy =
  | { kind: "none" }
  | { kind: "hops"; hops: number }
  | { kind: "list"; proxies: BlockList; source: string };

/** Request header carrying the socket's peer address, set by installPeerAddressStamp. */
export const PEER_ADDRESS_HEADER = "x-pushdeck-peer-address";

/** What both Next's `Headers` and node:http's `req.headers` can give. */
export type HeaderSource =
  Pick<Headers, "get"> | Record<string, string | string[] | undefined> | null | undefined;

function header(headers: HeaderSource, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  const value = (headers as Record<string, string | string[] | undefined>)[name];

  return Array.isArray(value) ? value.join(",") : (value ?? null);
}

/**
 * An address as written in a socket or a forwarding header, normalised: IPv4-mapped IPv6 becomes
 * IPv4, a port (`1.2.3.4:80`, `[::1]:80`) and brackets are dropped, IPv6 is lower-cased. Null when
 * it is not an IP address.
 */
export function normalizeIp(raw: string | null | undefined): string | null {
  let value = raw?.trim();
  if (!value) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  value = value.replace(/%.*$/, ""); // an IPv6 zone index
  const version = isIP(value);
  if (version === 4) return value;
  if (version !== 6) return null;
  // One spelling per address (zeros compressed, lower case), so each is one throttling key.
  const canonical = new URL(`http://[${value}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return canonical;
  const [high, low] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];

  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** Parses `PUSHDECK_TRUST_PROXY`; throws a message naming the bad entry. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = value?.trim() ?? "";
  if (text === "" || text === "0" || text.toLowerCase() === "false") return { kind: "none" };
  if (/^\d+$/.test(text)) return { kind: "hops", hops: Number(text) };
  const proxies = new BlockList();
  for (const entry of text.split(",").map((part) => part.trim())) {
    const [address, prefix, ...rest] = entry.split("/");
    const ip = normalizeIp(address);
    const family = ip && isIP(ip) === 6 ? "ipv6" : "ipv4";
    const bits = prefix === undefined ? null : Number(prefix);
    if (
      !ip ||
      rest.length > 0 ||
      (bits !== null &&
        (!/^\d+$/.test(prefix!) || bits > (family === "ipv6" ? 128 : 32) || bits < 0))
    )
      throw new Error(
        `PUSHDECK_TRUST_PROXY: "${entry}" is neither an IP address nor a CIDR block; give a number of proxies or a comma-separated list such as "10.0.0.0/8, 127.0.0.1"`,
      );
    if (bits === null) proxies.addAddress(ip, family);
    else proxies.addSubnet(ip, bits, family);
  }

  return { kind: "list", proxies, source: text };
}

let cached: { source: string | undefined; trust: TrustProxy } | undefined;

/** The trust configured in the environment (parsed once per value). */
export function configuredTrustProxy(env: NodeJS.ProcessEnv = process.env): TrustProxy {
  const source = env.PUSHDECK_TRUST_PROXY;
  if (!cached || cached.source !== source) cached = { source, trust: parseTrustProxy(source) };

  return cached.trust;
}

function isTrusted(trust: Extract<TrustProxy, { kind: "list" }>, ip: string): boolean {
  return trust.proxies.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
}

/**
 * The caller's address from the socket's peer address and the request headers, under `trust`
 * (default: PUSHDECK_TRUST_PROXY). Null only when the peer address is unknown. Usable wherever the
 * socket is at hand, e.g. a node:http handler: `resolveClientIp(req.socket.remoteAddress, req.headers)`.
 */
export function resolveClientIp(
  remoteAddress: string | null | undefined,
  headers: HeaderSource,
  trust: TrustProxy = configuredTrustProxy(),
): string | null {
  const peer = normalizeIp(remoteAddress);
  if (!peer || trust.kind === "none") return peer;
  // The nearest hop first: the peer, then X-Forwarded-For from right to left. An entry that is not
  // an address ends the chain: nothing left of it can be attributed.
  const chain = [peer];
  const forwarded = (header(headers, "x-forwarded-for") ?? "").split(",").reverse();
  for (const entry of forwarded) {
    if (!entry.trim()) continue;
    const ip = normalizeIp(entry);
    if (!ip) break;
    chain.push(ip);
  }
  if (trust.kind === "hops") return chain[Math.min(trust.hops, chain.length - 1)];
  let index = 0;
  while (index < chain.length - 1 && isTrusted(trust, chain[index])) index++;

  return chain[index];
}

type StampState = { installed: boolean; warned: boolean };
const state = ((globalThis as { pushdeckPeerStamp?: StampState }).pushdeckPeerStamp ??= {
  installed: false,
  warned: false,
});

/**
 * The socket's peer address as stamped on the request (inside Next, where the socket is out of
 * reach). Without the stamp installed in this process a client could have sent the header itself,
 * so it is then ignored: null, and a warning once.
 */
export function stampedPeerAddress(headers: HeaderSource): string | null {
  if (!state.installed) {
    if (!state.warned) {
      state.warned = true;
      console.warn(
        "[auth] client addresses are unknown: installPeerAddressStamp() did not run in this process (instrumentation.ts)",
      );
    }

    return null;
  }

  return header(headers, PEER_ADDRESS_HEADER);
}

/**
 * The caller's address inside Next (route handlers, server actions, next-auth's authorize):
 * resolveClientIp on the stamped peer address. Null when the address is unknown.
 */
export function clientIp(headers: HeaderSource): string | null {
  return resolveClientIp(stampedPeerAddress(headers), headers);
}

/** Writes the socket's peer address into the request's headers, replacing any copy a client sent. */
export function stampPeerAddress(request: IncomingMessage): void {
  const peer = request.socket?.remoteAddress ?? "";
  request.headers[PEER_ADDRESS_HEADER] = peer;
  // Handlers that rebuild headers from rawHeaders (server.ts's fast path) must see the same value.
  const raw = request.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2)
    if (raw[i].toLowerCase() === PEER_ADDRESS_HEADER) raw.splice(i, 2);
  raw.push(PEER_ADDRESS_HEADER, peer);
}

/**
 * Stamps every request that any node:http server of this process receives, before its handler
 * runs (node's `http.server.request.start` diagnostics channel), and checks PUSHDECK_TRUST_PROXY.
 * Runs once at start (instrumentation.ts); idempotent.
 */
export function installPeerAddressStamp(): void {
  configuredTrustProxy();
  if (state.installed) return;
  subscribe("http.server.request.start", (message) => {
    stampPeerAddress((message as { request: IncomingMessage }).request);
  });
  state.installed = true;
}
