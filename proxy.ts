import { NextResponse, type NextRequest } from "next/server";
import { createNonce, HSTS_HEADER, NONCE_HEADER, pageCsp } from "@/lib/http/security-headers";
import { isHttpsRequest, peerFromHeaders } from "@/lib/http/secure-request";

// Two jobs, on pages only (see `matcher`):
// 1. Headers: each page gets a CSP with a fresh nonce (Next reads it from the request's CSP and puts
//    it on its scripts; the root layout reads `x-nonce` for the scripts it adds) and HSTS when the
//    request came over HTTPS. lib/http/security-headers.ts is the one definition.
// 2. Redirects visitors without a session cookie to the sign-in page. It is not a security
//    boundary: every page, action and route checks the session and permission on the server
//    (lib/auth/guard.ts). It deliberately does not call next-auth's auth(): that re-issues the session
//    cookie on every request, so a prefetch answered after sign-out could sign the user back in.
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];
const PUBLIC_PAGES = /^\/login(?:\/|$)/;

export default function proxy(request: NextRequest) {
  const nonce = createNonce();
  const https = isHttpsRequest(peerFromHeaders(request.headers), request.headers);
  const csp = pageCsp(nonce, { dev: process.env.NODE_ENV === "development", https });
  const hasSession = request.cookies
    .getAll()
    .some((cookie) =>
      SESSION_COOKIES.some((name) => cookie.name === name || cookie.name.startsWith(`${name}.`)),
    );
  let response: NextResponse;
  if (hasSession || PUBLIC_PAGES.test(request.nextUrl.pathname)) {
    const headers = new Headers(request.headers);
    headers.set(NONCE_HEADER, nonce);
    headers.set("content-security-policy", csp);
    response = NextResponse.next({ request: { headers } });
  } else {
    const url = new URL("/login", request.nextUrl.origin);
    const back = request.nextUrl.pathname + request.nextUrl.search;
    if (back !== "/") url.searchParams.set("callbackUrl", back);
    response = NextResponse.redirect(url);
  }
  response.headers.set("Content-Security-Policy", csp);
  if (https) response.headers.set(HSTS_HEADER[0], HSTS_HEADER[1]);

  return response;
}

export const config = {
  // Not API routes, assets, nor the CSV upload: a route matched here has its body buffered (and cut
  // at 10 MB, next.config's proxyClientMaxBodySize) so that the proxy could read it.
  matcher: ["/((?!api/|_next/|favicon.ico|icon.svg|fonts/|devices/import/upload).*)"],
};
