/** The caller's address: the first x-forwarded-for hop (Next's server sets it), else x-real-ip. */
export function clientIp(headers: Headers | undefined | null): string | null {
  const forwarded = headers?.get("x-forwarded-for")?.split(",")[0]?.trim();

  return forwarded || headers?.get("x-real-ip") || null;
}
