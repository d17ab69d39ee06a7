import { AppSidebar, visibleNavItems } from "@/components/app-sidebar";
import { BrandLink } from "@/components/brand";
import { CurrentSection } from "@/components/current-section";
import { MobileNav } from "@/components/mobile-nav";
import { SkipLink } from "@/components/skip-link";
import { UserMenu } from "@/components/user-menu";
import { requirePageActor } from "@/lib/auth/session";

/** The signed-in shell. Not a guard: every page checks its own permission (lib/auth/session.ts). */
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor();
  const items = visibleNavItems(actor.role);

  return (
    <div className="flex min-h-dvh">
      <SkipLink />
      <AppSidebar role={actor.role} />
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="bg-background/85 sticky top-0 z-30 flex h-14 items-center gap-3 border-b px-4 backdrop-blur lg:px-8">
          <MobileNav items={items} />
          <BrandLink className="lg:hidden" />
          <div className="hidden min-w-0 flex-1 lg:block">
            <CurrentSection items={items} />
          </div>
          <div className="ml-auto">
            <UserMenu name={actor.name} email={actor.email} role={actor.role} />
          </div>
        </header>
        <main
          id="main-content"
          tabIndex={-1}
          className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 outline-none lg:px-8 lg:py-8"
        >
          {children}
        </main>
      </div>
    </div>
  );
}
