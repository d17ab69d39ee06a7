import { NextResponse } from "next/server";
import { auth } from "@/lib/auth/next-auth";

// Only redirects anonymous visitors to the sign-in page. It is not a security boundary: every page,
// action and route checks permissions on the server (lib/auth/guard.ts).
export default auth((request) => {
  if (request.auth?.user) return NextResponse.next();
  const url = new URL("/login", request.nextUrl.origin);
  const back = request.nextUrl.pathname + request.nextUrl.search;
  if (back !== "/") url.searchParams.set("callbackUrl", back);

  return NextResponse.redirect(url);
});

export const config = {
  matcher: ["/((?!api/|login|_next/|favicon.ico|icon.svg|fonts/).*)"],
};
