"use client";

import { ChevronsUpDown, LogOut, Monitor, Moon, Sun } from "lucide-react";
import { useTheme } from "next-themes";
import { useRef } from "react";
import { signOutAction } from "@/app/(dashboard)/actions";
import type { Role } from "@/lib/auth/permissions";
import { RoleBadge } from "./role-badge";
import { Button } from "./ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "./ui/dropdown-menu";

type UserMenuProps = { name: string; email: string; role: Role };

function initials(name: string, email: string): string {
  const parts = (name || email).trim().split(/\s+/);

  return ((parts[0]?.[0] ?? "") + (parts[1]?.[0] ?? "")).toUpperCase() || "?";
}

export function UserMenu({ name, email, role }: UserMenuProps) {
  const { theme, setTheme } = useTheme();
  // The form lives outside the menu so it survives the menu closing when "Sign out" is chosen.
  const signOutForm = useRef<HTMLFormElement>(null);

  return (
    <>
      <form ref={signOutForm} action={signOutAction} className="hidden" />
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          {/* The name read out contains every word shown (WCAG 2.5.3, label in name): the initials
              are a picture drawn with CSS content, hidden like an avatar image with empty alt. */}
          <Button
            variant="ghost"
            className="h-10 gap-2 px-2"
            aria-label={`Account menu for ${name || email}`}
          >
            <span
              aria-hidden
              data-initials={initials(name, email)}
              className="bg-primary text-primary-foreground flex size-7 items-center justify-center rounded-full text-xs font-semibold before:content-[attr(data-initials)]"
            />
            <span className="hidden max-w-40 truncate text-sm sm:inline">{name || email}</span>
            <ChevronsUpDown className="text-muted-foreground" aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-64">
          <DropdownMenuLabel className="flex flex-col gap-1 font-normal">
            <span className="truncate text-sm font-medium">{name}</span>
            <span className="text-muted-foreground truncate text-xs">{email}</span>
            <RoleBadge role={role} />
          </DropdownMenuLabel>
          <DropdownMenuSeparator />
          <DropdownMenuLabel className="text-muted-foreground text-xs font-medium">
            Theme
          </DropdownMenuLabel>
          <DropdownMenuRadioGroup value={theme ?? "system"} onValueChange={setTheme}>
            <DropdownMenuRadioItem value="light" onSelect={(e) => e.preventDefault()}>
              <Sun aria-hidden /> Light
            </DropdownMenuRadioItem>
            <DropdownMenuRadioItem value="dark" onSelect={(e) => e.preventDefault()}>
              <Moon aria-hidden /> Dark
            </DropdownMenuRadioItem>
            <DropdownMenuRadioItem value="system" onSelect={(e) => e.preventDefault()}>
              <Monitor aria-hidden /> System
            </DropdownMenuRadioItem>
          </DropdownMenuRadioGroup>
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => signOutForm.current?.requestSubmit()}>
            <LogOut aria-hidden /> Sign out
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </>
  );
}
