import { expect, test } from "@playwright/test";
import { FORBIDDEN_TEXT, signInAs } from "./helpers";

const FULL_TOKEN = /[0-9a-f]{64}/i;

// Marketing watches deliveries but must never get a token it could send to: tokens are masked on
// the server (not hidden with CSS), and the device pages answer 403.
test("marketing sees deliveries with masked tokens and cannot open devices", async ({
  browser,
}) => {
  // Support sends a test push first, so there is a delivery to show; its device's full token is known.
  const support = await browser.newPage();
  await signInAs(support, "SUPPORT");
  await support.goto("/devices?status=active");
  await support
    .getByRole("link", { name: /^Open device/ })
    .first()
    .click();
  const fullToken = (await support.locator("dd code").first().textContent())?.trim() ?? "";
  expect(fullToken).toMatch(/^[0-9a-f]{64}$/);
  await support.getByLabel("Body").fill("Seen by marketing, masked");
  await support.getByRole("button", { name: "Send test push" }).click();
  await expect(support.getByText("APNs answered: 200 accepted")).toBeVisible();
  await support.close();

  const page = await browser.newPage();
  await signInAs(page, "MARKETING");
  const response = await page.goto("/deliveries");
  expect(response?.status()).toBe(200);
  const table = page.getByRole("table", { name: "Deliveries, newest first" });
  await expect(table.getByText("Test push").first()).toBeVisible();
  await expect(
    table.getByText(`${fullToken.slice(0, 6)}…${fullToken.slice(-6)}`).first(),
  ).toBeVisible();
  // Not in the HTML at all, including the RSC payload inlined in the page.
  const html = await page.content();
  expect(html).not.toContain(fullToken);
  expect(html).not.toMatch(FULL_TOKEN);
  // Marketing cannot follow a delivery to its device.
  await expect(table.locator('a[href^="/devices/"]')).toHaveCount(0);

  for (const path of ["/devices", "/devices/1", "/devices/users/user-0001", "/devices/import"]) {
    const forbidden = await page.goto(path);
    expect(forbidden?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { level: 1, name: FORBIDDEN_TEXT })).toBeVisible();
  }
  const exported = await page.request.get("/devices/export");
  expect(exported.status()).toBe(403);
});
