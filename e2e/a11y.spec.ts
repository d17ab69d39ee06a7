import { createRequire } from "node:module";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { NAV_ITEMS } from "../config/nav";
import {
  ROLE_LABELS,
  ROLE_PERMISSIONS,
  ROLES,
  type Permission,
  type Role,
} from "../lib/auth/permissions";
import { signInAs } from "./helpers";

// Issue 10, "Accessibility, measured": axe-core runs in Chromium over every page of the navigation
// table as each role (only the pages the role may see), plus the pages reached from them (a device,
// a user's devices, the CSV import), the open account menu and the sign-in page signed out, each in
// the light and the dark theme. Any serious or critical violation fails the test and is listed with
// its rule id, impact, element (CSS target) and help. Pages added to NAV_ITEMS are checked without
// touching this file. One signed-in context per role keeps it quick.

type Theme = "light" | "dark";

/** Pages outside the sidebar; `path` may need the signed-in page to find a real id. */
type ExtraPage = {
  title: string;
  permission: Permission;
  heading: RegExp | string;
  path: (page: Page) => Promise<string>;
};

/** A seeded device, as its user's page links to it (a smaller page than the registry). */
async function firstDeviceHref(page: Page): Promise<string> {
  await page.goto("/devices/users/user-0001");
  const href = await page
    .getByRole("link", { name: /^Open device/ })
    .first()
    .getAttribute("href");
  expect(href, "the user's page links to a device").toMatch(/^\/devices\/\d+$/);

  return href!;
}

const EXTRA_PAGES: readonly ExtraPage[] = [
  {
    title: "Device",
    permission: "devices.read",
    // Its model and app, or "Device <id>".
    heading: /./,
    path: firstDeviceHref,
  },
  {
    title: "User's devices",
    permission: "devices.read",
    heading: "User user-0001",
    path: async () => "/devices/users/user-0001",
  },
  {
    title: "Import devices",
    permission: "devices.import",
    heading: "Import devices",
    path: async () => "/devices/import",
  },
  {
    title: "New campaign (the composer)",
    permission: "campaigns.write",
    heading: "New campaign",
    path: async () => "/campaigns/new",
  },
];

const SEVERE = new Set(["serious", "critical"]);

/**
 * axe-core as @axe-core/playwright itself resolves it. Each context loads it into every page by an
 * init script, and AxeBuilder gets an empty source: by default it sends the 0.5 MB script over the
 * protocol and runs it twice per check, which costs more than the check on most pages.
 */
const AXE_SOURCE: string = createRequire(import.meta.resolve("@axe-core/playwright"))(
  "axe-core",
).source;

async function newContextWithAxe(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript({ content: AXE_SOURCE });

  return context;
}

async function expectTheme(page: Page, theme: Theme) {
  await expect(page.locator("html")).toHaveClass(new RegExp(`(^|\\s)${theme}(\\s|$)`));
}

/** Loads `path` in `theme`: next-themes reads the choice from localStorage ("theme") at load. */
async function openInTheme(page: Page, path: string, theme: Theme) {
  await page.evaluate((value) => localStorage.setItem("theme", value), theme);
  const response = await page.goto(path);
  expect(response?.status(), `${path} answers`).toBe(200);
  await expectTheme(page, theme);
}

/**
 * Switches the page to `theme` as a person does: the Theme choice in the account menu (left as it
 * was, open or closed), or the theme toggle of the sign-in page. next-themes then sets the class
 * on <html>.
 */
async function chooseTheme(page: Page, theme: Theme) {
  const label = theme === "dark" ? "Dark" : "Light";
  const menu = page.getByRole("menu");
  const accountMenu = page.getByRole("button", { name: /^Account menu/ });
  if (await menu.isVisible()) {
    await menu.getByRole("menuitemradio", { name: label }).click();
  } else if (await accountMenu.count()) {
    await accountMenu.click();
    await menu.getByRole("menuitemradio", { name: label }).click();
    await page.keyboard.press("Escape");
    await expect(menu).toBeHidden();
  } else {
    await page
      .getByRole("radiogroup", { name: "Theme" })
      .getByRole("radio", { name: label })
      .click();
  }
  await page.mouse.move(0, 0);
  await expectTheme(page, theme);
}

/**
 * Runs axe on the page as it is: one line per element of each serious or critical violation, with
 * the rule id, impact, element (CSS target) and help text, prefixed with `what`.
 */
async function severeViolations(page: Page, what: string, within?: string): Promise<string[]> {
  // Legacy mode runs axe.run() in the page itself; the default runs it per frame and finishes in a
  // new blank page each time, about twice as slow. The app has no iframes to lose. Only violations
  // are reported in full (passes would be megabytes of element HTML on the devices page).
  const axe = new AxeBuilder({ page, axeSource: ";" })
    .setLegacyMode(true)
    .options({ resultTypes: ["violations"] });
  if (within) axe.include(within);
  const results = await axe.analyze();

  return results.violations
    .filter((v) => SEVERE.has(v.impact ?? ""))
    .flatMap((v) =>
      v.nodes.map(
        (node) =>
          `${what}: ${v.id} (${v.impact}) at ${node.target.join(" ")}: ${v.help} [${v.helpUrl.split("?")[0]}]` +
          (node.failureSummary ? ` (${node.failureSummary.replace(/\n\s*/g, " ")})` : ""),
      ),
    );
}

/**
 * Checks `path` in the light theme (loaded in it), then in the dark one (switched to on the page,
 * as a person would); `ready` waits for the page's own content (or opens something on it),
 * `within` limits the check to a part of the page.
 */
async function checkInBothThemes(
  page: Page,
  path: string,
  what: string,
  ready: (page: Page) => Promise<void>,
  within?: string,
) {
  await openInTheme(page, path, "light");
  await ready(page);
  const found = await severeViolations(page, `${what} ${path} (light)`, within);
  await chooseTheme(page, "dark");
  found.push(...(await severeViolations(page, `${what} ${path} (dark)`, within)));
  expect(found, `${what} ${path}: serious or critical axe violations`).toEqual([]);
}

async function signedInPage(browser: Browser, role: Role): Promise<[BrowserContext, Page]> {
  const context = await newContextWithAxe(browser);
  const page = await context.newPage();
  await signInAs(page, role);

  return [context, page];
}

for (const role of ROLES) {
  const can = (permission: Permission) => ROLE_PERMISSIONS[role].includes(permission);

  test.describe(`${ROLE_LABELS[role]}`, () => {
    // One signed-in context per role, shared by its tests (a failed test restarts the worker,
    // and the next test signs in again).
    let context: BrowserContext;
    let page: Page;
    test.beforeAll(async ({ browser }) => {
      [context, page] = await signedInPage(browser, role);
    });
    test.afterAll(async () => {
      await context?.close();
    });

    for (const item of NAV_ITEMS.filter((entry) => can(entry.permission))) {
      test(`${item.title} (${item.href}), light and dark`, async () => {
        await checkInBothThemes(page, item.href, role, (p) =>
          expect(p.getByRole("heading", { level: 1, name: item.title })).toBeVisible(),
        );
      });
    }

    for (const extra of EXTRA_PAGES.filter((entry) => can(entry.permission))) {
      test(`${extra.title}, light and dark`, async () => {
        await checkInBothThemes(page, await extra.path(page), role, (p) =>
          expect(p.getByRole("heading", { level: 1, name: extra.heading })).toBeVisible(),
        );
      });
    }

    // The open menu is modal: the page behind it is aria-hidden and inert (and checked above),
    // so only the menu is checked here.
    test("the account menu, open, light and dark", async () => {
      await checkInBothThemes(
        page,
        "/",
        `${role} account menu on`,
        async (p) => {
          await p.getByRole("button", { name: /^Account menu/ }).click();
          await expect(p.getByRole("menuitem", { name: "Sign out" })).toBeVisible();
        },
        '[role="menu"]',
      );
    });
  });
}

test("the sign-in page, signed out, light and dark", async ({ browser }) => {
  const context = await newContextWithAxe(browser);
  const page = await context.newPage();
  await page.goto("/login");
  await checkInBothThemes(page, "/login", "signed out", (p) =>
    expect(p.getByRole("button", { name: "Sign in", exact: true })).toBeVisible(),
  );
  await context.close();
});
