import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import { getAuthSecret } from "@/lib/secrets/data-secret";
import { authRedirect } from "./callback-url";
import { dummyPasswordHash, verifyPassword } from "./password";
import { clearFailedSignIns, lockedForMs, recordFailedSignIn } from "./throttle";
import { clientIp } from "./client-ip";

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

class WrongCredentials extends CredentialsSignin {
  code = "wrong_credentials";
}
class RateLimited extends CredentialsSignin {
  code = "rate_limited";
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
});

export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: getAuthSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login" },
  // A wrong password is an expected outcome (recorded in the audit log), not a server error to log
  // with a stack trace.
  logger: {
    error(error) {
      if (
        error.name === "CredentialsSignin" ||
        (error as { type?: string }).type === "CredentialsSignin"
      )
        return;
      console.error("[auth]", error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new WrongCredentials();
        const { email, password } = parsed.data;
        const ip = clientIp(request.headers);
        const db = getDb();
        if ((await lockedForMs(db, email, ip)) > 0) throw new RateLimited();
        const user = await db.user.findUnique({ where: { email } });
        const ok = await verifyPassword(
          user?.passwordHash ?? (await dummyPasswordHash()),
          password,
        );
        if (!user || !ok || user.disabled) {
          await recordFailedSignIn(db, email, ip);
          await recordAudit(db, {
            actor: { type: "SYSTEM", label: email },
            action: "auth.sign-in",
            success: false,
            detail: { reason: user?.disabled ? "disabled" : "wrong credentials" },
            ip,
          });
          throw new WrongCredentials();
        }
        await clearFailedSignIns(db, email);
        await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
        await recordAudit(db, {
          actor: { type: "USER", id: user.id, label: user.email },
          action: "auth.sign-in",
          targetType: "user",
          targetId: user.id,
          success: true,
          ip,
        });

        return {
          id: user.id,
          email: user.email,
          name: user.name,
          role: user.role,
          sessionVersion: user.sessionVersion,
        };
      },
    }),
  ],
  callbacks: {
    redirect: authRedirect,
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.role = (user as { role?: string }).role;
        token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
      }

      return token;
    },
    session({ session, token }) {
      return {
        ...session,
        user: { ...session.user, id: String(token.uid ?? ""), role: String(token.role ?? "") },
        sessionVersion: Number(token.sv ?? 0),
      };
    },
  },
});
