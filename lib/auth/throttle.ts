import type { Db } from "@/lib/db/client";

/**
 * Failed sign-ins are limited per account and per IP, in the database so that every web process
 * shares the counts. After MAX failures within the window the key is locked for LOCK_MS.
 */
export const SIGN_IN_LIMITS = {
  account: { max: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  ip: { max: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
} as const;

type Kind = keyof typeof SIGN_IN_LIMITS;

export function throttleKeys(email: string, ip: string | null): { kind: Kind; key: string }[] {
  const keys: { kind: Kind; key: string }[] = [
    { kind: "account", key: `email:${email.toLowerCase()}` },
  ];
  if (ip) keys.push({ kind: "ip", key: `ip:${ip}` });

  return keys;
}

/** Milliseconds until the earliest lock on these keys ends, or 0 when none is locked. */
export async function lockedForMs(
  db: Db,
  email: string,
  ip: string | null,
  now = new Date(),
): Promise<number> {
  const rows = await db.signInThrottle.findMany({
    where: { key: { in: throttleKeys(email, ip).map((k) => k.key) }, lockedUntil: { gt: now } },
  });

  return rows.reduce((max, row) => Math.max(max, row.lockedUntil!.getTime() - now.getTime()), 0);
}

export async function recordFailedSignIn(
  db: Db,
  email: string,
  ip: string | null,
  now = new Date(),
) {
  for (const { kind, key } of throttleKeys(email, ip)) {
    const limit = SIGN_IN_LIMITS[kind];
    const row = await db.signInThrottle.findUnique({ where: { key } });
    const inWindow = row && now.getTime() - row.windowStart.getTime() < limit.windowMs;
    const failures = inWindow ? row.failures + 1 : 1;
    const lockedUntil = failures >= limit.max ? new Date(now.getTime() + limit.lockMs) : null;
    await db.signInThrottle.upsert({
      where: { key },
      create: { key, failures, windowStart: now, lockedUntil },
      update: { failures, windowStart: inWindow ? row.windowStart : now, lockedUntil },
    });
  }
}

export async function clearFailedSignIns(db: Db, email: string) {
  await db.signInThrottle.deleteMany({ where: { key: `email:${email.toLowerCase()}` } });
}
