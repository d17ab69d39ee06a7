import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import { getAuthSecret } from "@/lib/secrets/data-secret";
import { authRedirect } from "./callback-url";
import { clientIp } from "./client-ip";
import { endStaffSession, readStaffSession, SESSION_LIFETIME } from "./sessions";
import { attemptSignIn } from "./sign-in";

/** The cookie's own lifetime, renewed on use; the server also ends sessions (lib/auth/sessions.ts). */
export const SESSION_MAX_AGE_SECONDS = SESSION_LIFETIME.idleMs / 1000;

/** A failed sign-in; `retryAfterSeconds` when the next attempt has to wait. */
class SignInFailed extends CredentialsSignin {
  constructor(
    readonly code: "wrong_credentials" | "rate_limited",
    readonly retryAfterSeconds: number,
  ) {
    super();
  }
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
});

let undecodableCookieLogged = false;

export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: getAuthSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login" },
  logger: {
    error(error) {
      const type = (error as { type?: string }).type;
      // A wrong password is an expected outcome (recorded in the audit log), not a server error.
      if (error.name === "CredentialsSignin" || type === "CredentialsSignin") return;
      // A session cookie that does not decode (tampered, truncated, another server's secret) means
      // "signed out", not a failure: say so once per process, without a stack trace per request.
      if (type === "JWTSessionError") {
        if (undecodableCookieLogged) return;
        undecodableCookieLogged = true;
        const cause = (error.cause as { err?: Error } | undefined)?.err;
        console.warn(
          `[auth] a session cookie could not be read (${cause?.message ?? error.message}); such requests are treated as signed out (logged once)`,
        );

        return;
      }
      console.error("[auth]", error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new SignInFailed("wrong_credentials", 0);
        const result = await attemptSignIn(parsed.data, clientIp(request.headers));
        if (!result.ok)
          throw new SignInFailed(
            result.reason === "rate-limited" ? "rate_limited" : "wrong_credentials",
            Math.ceil(result.retryAfterMs / 1000),
          );
        const { user } = result;

        return {
          id: user.id,
          email: user.email,
          name: user.name,
          role: user.role,
          sessionVersion: user.sessionVersion,
          sessionId: user.sessionId,
        };
      },
    }),
  ],
  callbacks: {
    redirect: authRedirect,
    // Runs on sign-in (with `user`) and on every read of the session: each read checks the
    // StaffSession row, so a signed-out, expired or revoked session ends here whatever the cookie
    // says, and the role and name come fresh from the database.
    async jwt({ token, user }) {
      if (user) {
        const signedIn = user as { sessionId?: string; sessionVersion?: number; role?: string };

        return {
          ...token,
          sub: user.id,
          sid: signedIn.sessionId,
          sv: signedIn.sessionVersion ?? 0,
          role: signedIn.role,
        };
      }
      let current;
      try {
        current = await readStaffSession(getDb(), token);
      } catch (error) {
        // Fail closed: without the database no session can be vouched for.
        console.error("[auth] session check failed", error);

        return null;
      }
      if (!current) return null;

      return { ...token, name: current.name, email: current.email, role: current.role };
    },
    session({ session, token }) {
      return {
        ...session,
        user: {
          ...session.user,
          id: String(token.sub ?? ""),
          role: String(token.role ?? ""),
          email: String(token.email ?? ""),
          name: String(token.name ?? ""),
        },
      };
    },
  },
  events: {
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (!token) return;
      const db = getDb();
      if ((await endStaffSession(db, token.sid)) === 0) return;
      await recordAudit(db, {
        actor: { type: "USER", id: String(token.sub ?? ""), label: String(token.email ?? "") },
        action: "auth.sign-out",
        targetType: "user",
        targetId: String(token.sub ?? ""),
        success: true,
      });
    },
  },
});
