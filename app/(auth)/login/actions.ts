"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { signIn } from "@/lib/auth/next-auth";
import { describeWait } from "@/lib/auth/sign-in";

export type LoginState = { error: string | null; email: string };

function failureMessage(error: AuthError): string {
  const { code, retryAfterSeconds } = error as AuthError & {
    code?: string;
    retryAfterSeconds?: number;
  };
  const wait = retryAfterSeconds ? ` Try again in ${describeWait(retryAfterSeconds * 1000)}.` : "";
  if (code === "rate_limited")
    return `Too many failed sign-ins.${wait || " Try again in a few minutes."}`;

  return `Email or password is incorrect.${wait}`;
}

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

    return { error: failureMessage(error), email };
  }
  redirect(redirectTo);
}
