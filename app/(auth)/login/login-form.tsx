"use client";

import { AlertCircle, Loader2 } from "lucide-react";
import { useActionState, useRef } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { loginAction, type LoginState } from "./actions";
import { DemoAccounts, type DemoAccount } from "./demo-accounts";

type LoginFormProps = {
  callbackUrl: string;
  /** Present only in demo mode. */
  demo?: { accounts: readonly DemoAccount[]; password: string };
};

export function LoginForm({ callbackUrl, demo }: LoginFormProps) {
  const [state, formAction, pending] = useActionState<LoginState, FormData>(loginAction, {
    error: null,
    email: "",
  });
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const fill = (email: string) => {
    if (!demo || !emailRef.current || !passwordRef.current) return;
    emailRef.current.value = email;
    passwordRef.current.value = demo.password;
    passwordRef.current.focus();
  };

  return (
    <div className="flex flex-col gap-6">
      <form action={formAction} className="flex flex-col gap-4" noValidate>
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        {state.error ? (
          <Alert variant="destructive" aria-live="assertive">
            <AlertCircle aria-hidden />
            <AlertDescription>{state.error}</AlertDescription>
          </Alert>
        ) : null}
        <div className="flex flex-col gap-2">
          <Label htmlFor="email">Email</Label>
          <Input
            ref={emailRef}
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            defaultValue={state.email}
            aria-invalid={state.error ? true : undefined}
          />
        </div>
        <div className="flex flex-col gap-2">
          <Label htmlFor="password">Password</Label>
          <Input
            ref={passwordRef}
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={state.error ? true : undefined}
          />
        </div>
        <Button type="submit" className="mt-2 w-full" disabled={pending}>
          {pending ? <Loader2 className="animate-spin" aria-hidden /> : null}
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {demo ? (
        <DemoAccounts accounts={demo.accounts} password={demo.password} onPick={fill} />
      ) : null}
    </div>
  );
}
