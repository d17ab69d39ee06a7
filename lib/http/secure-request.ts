import { isIP } from "node:net";
import {
  configuredTrustProxy,
  normalizeIp,
  PEER_ADDRESS_HEADER,
  type TrustProxy,
} from "@/lib/auth/client-ip";

type HeaderSource =
  Pick<Headers, "get"> | Record<string, string | string[] | undefined> | null | undefined;

function header(headers: HeaderSource, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  const value = (headers as Record<string, string | string[] | undefined>)[name];

  return Array.isArray(value) ? value.join(",") : (value ?? null);
}

/**
 * Whether the browser reached Pushdeck over HTTPS, which decides HSTS. Pushdeck itself listens on
 * plain HTTP: HTTPS ends at a proxy in front of it, which says so in X-Forwarded-Proto. Like
 * X-Forwarded-For, that header is believed only when PUSHDECK_TRUST_PROXY trusts the peer that sent
 * it (lib/auth/client-ip.ts); the nearest proxy's word is the last value. Without a trusted proxy
 * the answer is no, so http://localhost never gets HSTS.
 *
 * `peer` is the socket's address: `req.socket.remoteAddress` on node:http, the stamped
 * PEER_ADDRESS_HEADER inside Next (see peerFromHeaders).
 */
export function isHttpsRequest(
  peer: string | null | undefined,
  headers: HeaderSource,
  trust: TrustProxy = configuredTrustProxy(),
): boolean {
  if (trust.kind === "none") return false;
  const ip = normalizeIp(peer);
  if (!ip) return false;
  if (trust.kind === "list" && !trust.proxies.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4"))
    return false;
  const proto = header(headers, "x-forwarded-proto")?.split(",").pop()?.trim().toLowerCase();

  return proto === "https";
}

/** The peer address stamped on the request by lib/auth/client-ip.ts, inside Next. */
export function peerFromHeaders(headers: HeaderSource): string | null {
  return header(headers, PEER_ADDRESS_HEADER);
}
