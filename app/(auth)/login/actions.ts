"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { signIn } from "@/lib/auth/next-auth";

export type LoginState = { error: string | null; email: string };

const MESSAGES: Record<string, string> = {
  wrong_credentials: "Email or password is incorrect.",
  rate_limited: "Too many failed sign-ins. Try again in 15 minutes.",
};

/** Signs in with email and password, then goes to the callback URL (a path on this site). */
export async function loginAction(_previous: LoginState, formData: FormData): Promise<LoginState> {
  const email = String(formData.get("email") ?? "").trim();
  const password = String(formData.get("password") ?? "");
  const redirectTo = safeCallbackUrl(formData.get("callbackUrl"));
  if (!email || !password) return { error: "Enter your email and password.", email };

  try {
    // No redirect by next-auth: its URL is absolute, built from the request's Host header.
    await signIn("credentials", { email, password, redirectTo, redirect: false });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    const code = (error as AuthError & { code?: string }).code ?? "";

    return { error: MESSAGES[code] ?? MESSAGES.wrong_credentials, email };
  }
  redirect(redirectTo);
}
