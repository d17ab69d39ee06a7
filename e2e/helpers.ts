import { expect, type Page } from "@playwright/test";
import { NAV_ITEMS, type NavItem } from "../config/nav";
import { ROLE_PERMISSIONS, type Role } from "../lib/auth/permissions";

/** Seeded in demo mode by lib/bootstrap (a fresh data folder starts in demo mode). */
export const DEMO_PASSWORD = "pushdeck-demo";
export const DEMO_ACCOUNTS: Record<Role, string> = {
  ADMIN: "admin@demo.pushdeck",
  MARKETING: "marketing@demo.pushdeck",
  SUPPORT: "support@demo.pushdeck",
};

export const WRONG_CREDENTIALS_TEXT = "Email or password is incorrect.";
export const RATE_LIMITED_TEXT = /^Too many failed sign-ins\. Try again in \d+ seconds?\.$/;
export const FORBIDDEN_TEXT = "You don't have access to this page";

/** The sidebar entries a role should see, from the same tables the app uses. */
export function allowedNavItems(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => ROLE_PERMISSIONS[role].includes(item.permission));
}

export function forbiddenNavItems(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => !ROLE_PERMISSIONS[role].includes(item.permission));
}

/** Fills and submits the sign-in form (the page must be /login, or `goto` true). */
export async function submitSignIn(page: Page, email: string, password: string, goto = true) {
  if (goto) await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Signs in as a demo role through the form and waits for the Overview page. */
export async function signInAs(page: Page, role: Role) {
  await submitSignIn(page, DEMO_ACCOUNTS[role], DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
}

/** Signs out through the user menu and waits for the sign-in page. */
export async function signOut(page: Page) {
  // Let link prefetches finish first: proxy.ts (next-auth's auth()) re-sets the rolling session
  // cookie on every request, so a prefetch answered after the sign-out would sign the user back in.
  // That race is an open auth issue (see the app-shell report); this keeps the journey deterministic.
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: /^Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
}

export function sidebar(page: Page) {
  return page.getByRole("navigation", { name: "Main" });
}
