import { expect, test } from "@playwright/test";
import { ROLE_LABELS, ROLES } from "../lib/auth/permissions";
import {
  allowedNavItems,
  FORBIDDEN_TEXT,
  forbiddenNavItems,
  sidebar,
  signInAs,
  signOut,
} from "./helpers";

// Each demo role signs in through the form, sees exactly the sidebar its permissions allow, can open
// every allowed page, gets a real 403 on every other one, and signs out.
for (const role of ROLES) {
  test(`${ROLE_LABELS[role]} sees exactly its pages and is refused the others`, async ({
    page,
  }) => {
    const allowed = allowedNavItems(role);
    const forbidden = forbiddenNavItems(role);
    await signInAs(page, role);

    const nav = sidebar(page);
    await expect(nav.getByRole("link")).toHaveText(allowed.map((item) => item.title));
    const hasAdmin = allowed.some((item) => item.section === "admin");
    await expect(nav.getByRole("heading", { name: "Admin" })).toHaveCount(hasAdmin ? 1 : 0);

    for (const item of allowed) {
      const response = await page.goto(item.href);
      expect(response?.status(), `${item.href} for ${role}`).toBe(200);
      await expect(page.getByRole("heading", { level: 1, name: item.title })).toBeVisible();
      await expect(nav.getByRole("link", { name: item.title })).toHaveAttribute(
        "aria-current",
        "page",
      );
    }

    for (const item of forbidden) {
      const response = await page.goto(item.href);
      expect(response?.status(), `${item.href} for ${role}`).toBe(403);
      await expect(page.getByRole("heading", { level: 1, name: FORBIDDEN_TEXT })).toBeVisible();
      await expect(page.getByRole("link", { name: "Back to Overview" })).toBeVisible();
    }

    await page.goto("/");
    await signOut(page);
    await page.goto(allowed[allowed.length - 1].href);
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  });
}
