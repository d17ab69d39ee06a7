/**
 * Where to go after signing in: only a path on this site (never "//evil.example" or an absolute URL),
 * and never back to /login itself, so a crafted link cannot bounce the user elsewhere or loop.
 */
export function safeCallbackUrl(value: unknown): string {
  if (
    typeof value !== "string" ||
    !value.startsWith("/") ||
    value.startsWith("//") ||
    value.includes("\\")
  )
    return "/";
  try {
    const base = "http://pushdeck.invalid";
    const url = new URL(value, base);
    if (url.origin !== base || url.pathname === "/login" || url.pathname.startsWith("/api/"))
      return "/";

    return url.pathname + url.search + url.hash;
  } catch {
    return "/";
  }
}
