"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth/next-auth";
import { safeCallbackUrl } from "./safe-callback";

export type LoginState = { error: string | null; email: string };

const MESSAGES: Record<string, string> = {
  wrong_credentials: "Email or password is incorrect.",
  rate_limited: "Too many failed sign-ins. Try again in 15 minutes.",
};

/** Signs in with email and password; on success next-auth redirects to the (same-site) callback URL. */
export async function loginAction(_previous: LoginState, formData: FormData): Promise<LoginState> {
  const email = String(formData.get("email") ?? "").trim();
  const password = String(formData.get("password") ?? "");
  const redirectTo = safeCallbackUrl(formData.get("callbackUrl"));
  if (!email || !password) return { error: "Enter your email and password.", email };

  try {
    await signIn("credentials", { email, password, redirectTo });
  } catch (error) {
    // signIn's success path throws Next's redirect, which must propagate; only auth failures stop here.
    if (!(error instanceof AuthError)) throw error;
    const code = (error as AuthError & { code?: string }).code ?? "";

    return { error: MESSAGES[code] ?? MESSAGES.wrong_credentials, email };
  }

  return { error: null, email };
}
