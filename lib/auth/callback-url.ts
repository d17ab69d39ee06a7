/**
 * Where to send someone after signing in (or out): the one place a `callbackUrl` becomes a
 * redirect target. The login page, the sign-in action and next-auth's redirect callback all use it.
 *
 * The check runs on the URL as a browser would resolve it, never on the raw text: `/.//evil.example`,
 * `/..//evil.example`, `/%2e//evil.example` or `/./<TAB>/evil.example` look like paths but resolve
 * to `//evil.example`, which a browser reads as another host. So the value is parsed against a fixed
 * origin first (dot segments removed, tabs and newlines dropped, backslashes turned into slashes,
 * as WHATWG URL parsing does), and only then judged.
 */
const BASE = "http://pushdeck.invalid";

// C0 controls (tab, newline, NUL…), DEL and C1 controls: never part of a link we generate.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A path on this site (`/x?y#z`) that `value` resolves to, or null when it points elsewhere or is
 * not a path at all. The result never starts with `//` or `/\`.
 */
export function sameOriginPath(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const cleaned = value.replace(CONTROLS, "").trim();
  if (!cleaned.startsWith("/")) return null;
  let url: URL;
  try {
    url = new URL(cleaned, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  const path = url.pathname + url.search + url.hash;
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return null;
  if (HAS_CONTROL.test(path)) return null;

  return path;
}

/**
 * Where to go after signing in: a same-origin path, never back to /login itself (a loop) nor into
 * /api; anything else becomes `/`.
 */
export function safeCallbackUrl(value: unknown): string {
  const path = sameOriginPath(Array.isArray(value) ? undefined : value);
  if (!path) return "/";
  const { pathname } = new URL(path, BASE);
  if (pathname === "/login" || pathname.startsWith("/login/") || pathname.startsWith("/api/"))
    return "/";

  return path;
}

/**
 * next-auth's redirect callback: a same-origin absolute URL or a path, resolved on `baseUrl`;
 * anything else goes to the site's root.
 */
export function authRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  let candidate: unknown = url;
  try {
    const absolute = new URL(url);
    candidate =
      absolute.origin === new URL(baseUrl).origin
        ? absolute.pathname + absolute.search + absolute.hash
        : null;
  } catch {
    // Not absolute: a path, judged as one below.
  }

  return new URL(sameOriginPath(candidate) ?? "/", baseUrl).href;
}
