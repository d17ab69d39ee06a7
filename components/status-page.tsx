import type { LucideIcon } from "lucide-react";
import Link from "next/link";
import { Button } from "./ui/button";

type StatusPageProps = { code: string; icon: LucideIcon; title: string; children: React.ReactNode };

/** The 403 and 404 pages: readable on their own and inside the dashboard shell. */
export function StatusPage({ code, icon: Icon, title, children }: StatusPageProps) {
  return (
    <div className="flex min-h-[60dvh] flex-1 flex-col items-center justify-center px-4 py-16 text-center">
      <div className="bg-accent text-accent-foreground mb-5 flex size-14 items-center justify-center rounded-full">
        <Icon className="size-7" aria-hidden />
      </div>
      <p className="text-primary text-sm font-semibold tracking-wide">{code}</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="text-muted-foreground mt-2 max-w-md text-sm">{children}</p>
      <Button asChild className="mt-6">
        <Link href="/">Back to Overview</Link>
      </Button>
    </div>
  );
}
