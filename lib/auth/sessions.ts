import { randomBytes } from "node:crypto";
import type { DbTx } from "@/lib/access/db-handle";
import type { Db } from "@/lib/db/client";
import { isRole, type Role } from "./permissions";

/**
 * Staff sessions are rows (StaffSession); the session cookie, a JWT that next-auth encrypts and
 * signs, carries the row's id. Every read of the session checks the row, so:
 * - signing out deletes the row, and every copy of the cookie stops working;
 * - a session ends ABSOLUTE_MS after sign-in however often its cookie is refreshed, and after
 *   IDLE_MS without a request;
 * - disabling a user or changing their role (User.sessionVersion) ends all their sessions.
 */
export const SESSION_LIFETIME = {
  absoluteMs: 12 * 60 * 60_000,
  idleMs: 8 * 60 * 60_000,
  /** lastSeenAt moves at most this often (a write per request would be wasteful). */
  touchEveryMs: 60_000,
} as const;

export type SessionUser = { id: string; email: string; name: string; role: Role };

/** What the session cookie carries besides next-auth's own fields. */
export type SessionClaims = { sid?: unknown; sub?: unknown; sv?: unknown };

/** Opens a session row; `db` may be a transaction, so that the sign-in's audit row joins it. */
export async function createStaffSession(
  db: DbTx,
  user: { id: string },
  context: { ip: string | null; now: Date },
): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  await db.staffSession.create({
    data: {
      id,
      userId: user.id,
      createdAt: context.now,
      expiresAt: new Date(context.now.getTime() + SESSION_LIFETIME.absoluteMs),
      lastSeenAt: context.now,
      ip: context.ip,
    },
  });

  return id;
}

/**
 * The signed-in user of a session cookie's claims, or null when the session is gone (signed out),
 * expired (absolute or idle), or its user was disabled, re-roled or deleted.
 */
export async function readStaffSession(
  db: Db,
  claims: SessionClaims,
  now = new Date(),
): Promise<SessionUser | null> {
  if (typeof claims.sid !== "string" || !claims.sid) return null;
  const session = await db.staffSession.findUnique({
    where: { id: claims.sid },
    include: { user: true },
  });
  if (!session) return null;
  const { user } = session;
  const ended =
    session.expiresAt.getTime() <= now.getTime() ||
    session.lastSeenAt.getTime() + SESSION_LIFETIME.idleMs <= now.getTime();
  if (
    ended ||
    user.id !== claims.sub ||
    user.disabled ||
    user.sessionVersion !== Number(claims.sv ?? 0) ||
    !isRole(user.role)
  ) {
    if (ended) await db.staffSession.deleteMany({ where: { id: session.id } });

    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_LIFETIME.touchEveryMs)
    await db.staffSession.updateMany({
      where: { id: session.id, lastSeenAt: session.lastSeenAt },
      data: { lastSeenAt: now },
    });

  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** Ends one session (signing out); the number of rows deleted. */
export async function endStaffSession(db: Db, sid: unknown): Promise<number> {
  if (typeof sid !== "string" || !sid) return 0;

  return (await db.staffSession.deleteMany({ where: { id: sid } })).count;
}

/** Deletes sessions past their absolute lifetime (housekeeping). */
export async function deleteExpiredSessions(db: Db, now = new Date()): Promise<number> {
  return (await db.staffSession.deleteMany({ where: { expiresAt: { lte: now } } })).count;
}
