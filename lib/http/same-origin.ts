/**
 * Whether a browser request comes from our own pages, checked the way Next checks server actions:
 * the Origin header's host must be the host the request was sent to (X-Forwarded-Host, else Host).
 * Stricter than server actions in one way: a request without Origin is refused, since every browser
 * sends it on a POST. Routes that take a staff session and change data call it (route handlers,
 * unlike server actions, get no such check from Next); SameSite=Lax alone lets a cross-site form
 * post through when it is top-level.
 */
type HeaderReader = { get(name: string): string | null };

export function isSameOriginRequest(headers: HeaderReader): boolean {
  // Fetch Metadata, where the browser sends it, says it directly.
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin") return false;
  const origin = headers.get("origin");
  if (!origin || origin === "null") return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  const host = (headers.get("x-forwarded-host")?.split(",")[0] || headers.get("host"))?.trim();

  return Boolean(host) && originHost === host!.toLowerCase();
}
