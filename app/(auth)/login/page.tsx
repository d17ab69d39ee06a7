import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { BrandMark } from "@/components/brand";
import { ThemeToggle } from "@/components/theme-toggle";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { getActor } from "@/lib/auth/session";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/lib/bootstrap/first-start";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

type LoginPageProps = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

export default async function LoginPage({ searchParams }: LoginPageProps) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  // Already signed in (and still valid): go where they were headed. getActor() re-checks the
  // database, so a disabled user stays here instead of bouncing between /login and the dashboard.
  if (await getActor()) redirect(callbackUrl);
  // Read at request time: bootstrap decides demo mode when the server starts.
  const isDemo = process.env.PUSHDECK_DEMO === "1";

  return (
    <main className="bg-muted/40 relative flex min-h-dvh flex-col items-center justify-center px-4 py-10">
      <div className="absolute top-4 right-4">
        <ThemeToggle />
      </div>
      <div className="mb-6 flex items-center gap-2.5 text-xl font-semibold tracking-tight">
        <BrandMark className="size-9" />
        Pushdeck
      </div>
      <Card className="w-full max-w-md">
        <CardHeader>
          <CardTitle>
            <h1 className="text-xl">Sign in</h1>
          </CardTitle>
          <CardDescription>Use your Pushdeck staff account.</CardDescription>
        </CardHeader>
        <CardContent>
          <LoginForm
            callbackUrl={callbackUrl}
            demo={isDemo ? { accounts: DEMO_ACCOUNTS, password: DEMO_PASSWORD } : undefined}
          />
        </CardContent>
      </Card>
      <p className="text-muted-foreground mt-6 text-xs">
        Self-hosted push notifications for your Apple apps.
      </p>
    </main>
  );
}
