"use client";

import { Menu } from "lucide-react";
import { useState } from "react";
import type { NavItem } from "@/config/nav";
import { Button } from "./ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "./ui/dialog";
import { BrandMark } from "./brand";
import { SidebarNav } from "./sidebar-nav";

/** Below 1024 px the sidebar becomes a drawer opened from the top bar. */
export function MobileNav({ items }: { items: readonly NavItem[] }) {
  const [open, setOpen] = useState(false);

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" className="lg:hidden" aria-label="Open navigation">
          <Menu />
        </Button>
      </DialogTrigger>
      <DialogContent className="top-0 left-0 h-dvh max-h-dvh w-72 max-w-[85vw] translate-x-0 translate-y-0 content-start rounded-none border-y-0 border-l-0 p-4">
        <DialogTitle className="flex items-center gap-2 text-base">
          <BrandMark className="size-6" />
          Pushdeck
        </DialogTitle>
        <DialogDescription className="sr-only">Navigation</DialogDescription>
        <SidebarNav items={items} onNavigate={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}
