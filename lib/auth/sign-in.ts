import { recordAudit } from "@/lib/audit/record";
import { getDb, type Db } from "@/lib/db/client";
import { getSql, type SqlRunner } from "@/lib/db/sql";
import { dummyPasswordHash, verifyPassword } from "./password";
import { isRole, type Role } from "./permissions";
import { createStaffSession, deleteExpiredSessions } from "./sessions";
import { forgetIdleCounters, reserveSignInAttempt, signInSucceeded } from "./throttle";

export type SignedIn = {
  id: string;
  email: string;
  name: string;
  role: Role;
  sessionVersion: number;
  /** The StaffSession row this sign-in opened. */
  sessionId: string;
};

export type SignInResult =
  | { ok: true; user: SignedIn }
  /** Wrong email or password (or a disabled account); past the free attempts, the next one waits. */
  | { ok: false; reason: "wrong-credentials"; retryAfterMs: number }
  /** Refused before any password was checked. */
  | { ok: false; reason: "rate-limited"; retryAfterMs: number };

type Deps = { db?: Db; sql?: SqlRunner; now?: Date };

const HOUSEKEEPING_EVERY_MS = 10 * 60_000;
let lastHousekeeping = 0;

/** Drops idle throttle counters and expired sessions, at most every ten minutes per process. */
async function housekeeping(db: Db, sql: SqlRunner, now: Date) {
  if (now.getTime() - lastHousekeeping < HOUSEKEEPING_EVERY_MS) return;
  lastHousekeeping = now.getTime();
  try {
    await forgetIdleCounters(sql, now);
    await deleteExpiredSessions(db, now);
  } catch (error) {
    console.error("[auth] sign-in housekeeping failed", error);
  }
}

/**
 * One sign-in attempt with email and password from `ip` (lib/auth/client-ip.ts): throttled
 * (lib/auth/throttle.ts: counted before the password is checked), audited, and on success opens a
 * staff session (lib/auth/sessions.ts). next-auth's authorize is its only production caller.
 */
export async function attemptSignIn(
  credentials: { email: string; password: string },
  ip: string | null,
  deps: Deps = {},
): Promise<SignInResult> {
  const db = deps.db ?? getDb();
  const sql = deps.sql ?? getSql();
  const now = deps.now ?? new Date();
  const email = credentials.email.trim().toLowerCase();
  await housekeeping(db, sql, now);

  const reservation = await reserveSignInAttempt(sql, email, ip, now);
  if (!reservation.ok)
    return { ok: false, reason: "rate-limited", retryAfterMs: reservation.retryAfterMs };

  const user = await db.user.findUnique({ where: { email } });
  const passwordOk = await verifyPassword(
    user?.passwordHash ?? (await dummyPasswordHash()),
    credentials.password,
  );
  if (!user || !passwordOk || user.disabled || !isRole(user.role)) {
    await recordAudit(db, {
      actor: { type: "SYSTEM", label: email },
      action: "auth.sign-in",
      success: false,
      detail: { reason: user?.disabled && passwordOk ? "disabled" : "wrong credentials" },
      ip,
    });

    return {
      ok: false,
      reason: "wrong-credentials",
      retryAfterMs: reservation.waitAfterFailureMs,
    };
  }

  // The session and the audit row that records it are one unit (docs/data-access.md, section 3):
  // no session nobody can find in the audit log, no logged sign-in without its session.
  const sessionId = await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
    const id = await createStaffSession(tx, user, { ip, now });
    await recordAudit(tx, {
      actor: { type: "USER", id: user.id, label: user.email },
      action: "auth.sign-in",
      targetType: "user",
      targetId: user.id,
      success: true,
      ip,
    });

    return id;
  });
  // Only a sign-in that opened its session clears the throttle (a SQL-runner table, its own stack).
  await signInSucceeded(sql, email, ip);

  return {
    ok: true,
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      sessionVersion: user.sessionVersion,
      sessionId,
    },
  };
}

/** "Try again in …" for a wait in milliseconds: whole seconds up to two minutes, then minutes. */
export function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return `${seconds} second${seconds === 1 ? "" : "s"}`;

  return `${Math.ceil(seconds / 60)} minutes`;
}
