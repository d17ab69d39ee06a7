"use client";

import { FlaskConical } from "lucide-react";
import { RoleBadge } from "@/components/role-badge";
import { Button } from "@/components/ui/button";
import type { Role } from "@/lib/auth/permissions";

export type DemoAccount = { email: string; name: string; role: Role };

type DemoAccountsProps = {
  accounts: readonly DemoAccount[];
  password: string;
  onPick: (email: string) => void;
};

/** Shown only in demo mode: the seeded accounts, each one click away from the form. */
export function DemoAccounts({ accounts, password, onPick }: DemoAccountsProps) {
  return (
    <section
      aria-labelledby="demo-accounts-heading"
      className="border-primary/25 bg-accent/50 rounded-lg border p-4"
    >
      <h2 id="demo-accounts-heading" className="flex items-center gap-2 text-sm font-semibold">
        <FlaskConical className="text-primary size-4" aria-hidden />
        Demo accounts
      </h2>
      <p className="text-muted-foreground mt-1 text-xs">
        Password for all:{" "}
        <code className="bg-background text-foreground rounded px-1 py-0.5 font-mono">
          {password}
        </code>
      </p>
      <ul className="mt-3 flex flex-col gap-2">
        {accounts.map((account) => (
          <li key={account.email} className="flex items-center justify-between gap-3">
            <div className="flex min-w-0 items-center gap-2">
              <RoleBadge role={account.role} />
              <span className="truncate font-mono text-xs">{account.email}</span>
            </div>
            <Button
              variant="outline"
              size="sm"
              onClick={() => onPick(account.email)}
              aria-label={`Use ${account.email}`}
            >
              Use
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
