import { NextResponse, type NextRequest } from "next/server";

// Only redirects visitors without a session cookie to the sign-in page. It is not a security
// boundary: every page, action and route checks the session and permission on the server
// (lib/auth/guard.ts). It deliberately does not call next-auth's auth(): that re-issues the session
// cookie on every request, so a prefetch answered after sign-out could sign the user back in.
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

export default function proxy(request: NextRequest) {
  const hasSession = request.cookies
    .getAll()
    .some((cookie) =>
      SESSION_COOKIES.some((name) => cookie.name === name || cookie.name.startsWith(`${name}.`)),
    );
  if (hasSession) return NextResponse.next();
  const url = new URL("/login", request.nextUrl.origin);
  const back = request.nextUrl.pathname + request.nextUrl.search;
  if (back !== "/") url.searchParams.set("callbackUrl", back);

  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/((?!api/|login|_next/|favicon.ico|icon.svg|fonts/).*)"],
};
