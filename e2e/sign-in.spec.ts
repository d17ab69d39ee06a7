import { expect, test } from "@playwright/test";
import {
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  RATE_LIMITED_TEXT,
  submitSignIn,
  WRONG_CREDENTIALS_TEXT,
} from "./helpers";

test("a wrong password shows a clear error and keeps the user on the form", async ({ page }) => {
  await submitSignIn(page, "nobody@demo.pushdeck", "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: WRONG_CREDENTIALS_TEXT })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue("nobody@demo.pushdeck");
});

test("repeated failures lock the account with the rate-limit message", async ({ page }) => {
  const email = `locked-${Date.now()}@demo.pushdeck`;
  const formError = page.locator("form").getByRole("alert");
  await page.goto("/login");
  for (let attempt = 1; attempt <= 5; attempt++) {
    // Wait for each server-action round trip: the message text is the same every time.
    const answered = page.waitForResponse(
      (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login",
    );
    await submitSignIn(page, email, `wrong-${attempt}`, false);
    await answered;
    await expect(formError).toHaveText(WRONG_CREDENTIALS_TEXT);
  }
  await submitSignIn(page, email, "wrong-6", false);
  await expect(formError).toHaveText(RATE_LIMITED_TEXT);
});

test("demo mode lists the demo accounts, and one click fills the form", async ({ page }) => {
  await page.goto("/login");
  const box = page.getByRole("region", { name: "Demo accounts" });
  await expect(box).toBeVisible();
  for (const email of Object.values(DEMO_ACCOUNTS)) await expect(box).toContainText(email);
  await expect(box).toContainText(DEMO_PASSWORD);

  await box.getByRole("button", { name: `Use ${DEMO_ACCOUNTS.SUPPORT}` }).click();
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(DEMO_ACCOUNTS.SUPPORT);
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
});

test("after signing in the user lands on the page they asked for, never off-site", async ({
  page,
}) => {
  await page.goto("/admin/audit");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin%2Faudit/);
  await submitSignIn(page, DEMO_ACCOUNTS.ADMIN, DEMO_PASSWORD, false);
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "auth.sign-in" }).first()).toBeVisible();

  await page.waitForLoadState("networkidle"); // see signOut() in helpers.ts: prefetches re-set the cookie
  await page.context().clearCookies();
  await page.goto("/login?callbackUrl=//example.com/steal");
  await submitSignIn(page, DEMO_ACCOUNTS.ADMIN, DEMO_PASSWORD, false);
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/");
});

test("the keyboard reaches a skip link first", async ({ page }) => {
  await submitSignIn(page, DEMO_ACCOUNTS.MARKETING, DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("#main-content")).toBeFocused();
});
