import { expect, test } from "@playwright/test";
import {
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  RATE_LIMITED_TEXT,
  signOut,
  submitSignIn,
  WRONG_CREDENTIALS_TEXT,
} from "./helpers";

test("a wrong password shows a clear error and keeps the user on the form", async ({ page }) => {
  await submitSignIn(page, "nobody@demo.pushdeck", "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: WRONG_CREDENTIALS_TEXT })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue("nobody@demo.pushdeck");
});

test("repeated failures make this address wait, and the form says how long", async ({ page }) => {
  const email = `locked-${Date.now()}@demo.pushdeck`;
  const formError = page.locator("form").getByRole("alert");
  const attempt = async (n: number) => {
    // Wait for each server-action round trip: the message text can be the same every time.
    const answered = page.waitForResponse(
      (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login",
    );
    await submitSignIn(page, email, `wrong-${n}`, false);
    await answered;
  };
  await page.goto("/login");
  for (let n = 1; n <= 4; n++) {
    await attempt(n);
    await expect(formError).toHaveText(WRONG_CREDENTIALS_TEXT);
  }
  // The fifth failure is the last free attempt: the next one has to wait 4 seconds.
  await attempt(5);
  await expect(formError).toHaveText(`${WRONG_CREDENTIALS_TEXT} Try again in 4 seconds.`);
  // Answered at once, the next attempt is refused without a password check. On a slow machine the
  // wait may be over by then: that attempt fails and doubles the wait, which the next one meets.
  for (let n = 6; ; n++) {
    await attempt(n);
    const text = (await formError.textContent()) ?? "";
    if (RATE_LIMITED_TEXT.test(text)) break;
    expect(text).toMatch(/^Email or password is incorrect\. Try again in \d+ seconds\.$/);
    expect(n, "the rate limit never answered").toBeLessThan(9);
  }
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

  await page.waitForLoadState("networkidle");
  await page.context().clearCookies();
  for (const callbackUrl of ["//example.com/steal", "/.//example.com/steal"]) {
    await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await submitSignIn(page, DEMO_ACCOUNTS.ADMIN, DEMO_PASSWORD, false);
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    expect(new URL(page.url()).pathname).toBe("/");
    await page.waitForLoadState("networkidle");
    await page.context().clearCookies();
  }
});

// Issue 10: the check ran before normalisation, so `/.//evil.example/x` was answered with
// `Location: //evil.example/x` (another host). Each URL is sent as an attacker would write it.
test("a signed-in visit to /login never redirects off-site, whatever callbackUrl says", async ({
  page,
  baseURL,
}) => {
  await submitSignIn(page, DEMO_ACCOUNTS.SUPPORT, DEMO_PASSWORD);
  // A cold first render of Overview can take a while on a busy machine.
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible({
    timeout: 30_000,
  });
  for (const callbackUrl of [
    "/.//evil.example/x",
    "/..//evil.example/x",
    "/%2e//evil.example/x",
    "/./%09/evil.example/x",
    "/%09/evil.example/x",
    "/.%2F%2Fevil.example/x",
    "/./%5Cevil.example/x",
    "//evil.example/x",
    "https://evil.example/x",
  ]) {
    const response = await page.request.get(`/login?callbackUrl=${callbackUrl}`, {
      maxRedirects: 0,
    });
    expect(response.status(), callbackUrl).toBe(307);
    const location = response.headers().location;
    expect(location, callbackUrl).toBe("/");
    expect(new URL(location, baseURL).origin).toBe(new URL(baseURL!).origin);
  }
  const kept = await page.request.get("/login?callbackUrl=/devices%3Fq%3D1", { maxRedirects: 0 });
  expect(kept.headers().location).toBe("/devices?q=1");
});

test("a cookie copied before signing out no longer works afterwards", async ({ page, browser }) => {
  await submitSignIn(page, DEMO_ACCOUNTS.SUPPORT, DEMO_PASSWORD);
  // A cold first render of Overview can take a while on a busy machine.
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible({
    timeout: 30_000,
  });
  const copied = await page.context().cookies();
  await signOut(page);

  const thief = await browser.newContext();
  await thief.addCookies(copied);
  const stolen = await thief.newPage();
  await stolen.goto("/devices");
  await expect(stolen).toHaveURL(/\/login/);
  const api = await thief.request.get("/api/v1/users/user-0001/devices?app=com.pushdeck.demo");
  expect(api.status()).toBe(401);
  await thief.close();
});

test("a garbage session cookie is treated as signed out: pages go to /login, the API answers 401", async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext();
  await context.addCookies(
    ["garbage", "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0..AAAA.BBBB.CCCC"].map(
      (value, i) => ({
        name: i === 0 ? "authjs.session-token" : "authjs.session-token.0",
        value,
        url: baseURL!,
      }),
    ),
  );
  const page = await context.newPage();
  const statuses: number[] = [];
  page.on("response", (response) => statuses.push(response.status()));
  await page.goto("/devices");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  expect(statuses.filter((status) => status >= 500)).toEqual([]);

  const api = await context.request.get("/api/v1/users/user-0001/devices?app=com.pushdeck.demo");
  expect(api.status()).toBe(401);
  expect(api.headers()["content-type"]).toContain("application/problem+json");
  await context.close();
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
