import { expect, test, type Page } from "@playwright/test";
import { sidebar, signInAs } from "./helpers";

// Support often has only the start of a token (from a crash log): a prefix search lists the
// matching devices in token order and pages through them (demo mode seeds 2,000 devices).
const deviceLinks = (page: Page) =>
  page
    .getByRole("table", { name: "Devices matching the search" })
    .getByRole("link", { name: /Open device/ });
/** The tokens as the table shows them: their first 16 digits. */
const shownTokens = (page: Page) => deviceLinks(page).allTextContents();
const shownIds = async (page: Page) =>
  (
    await deviceLinks(page).evaluateAll((links) => links.map((l) => l.getAttribute("aria-label")))
  ).map(String);

test("support searches by token prefix and pages through the matches in token order", async ({
  page,
}) => {
  await signInAs(page, "SUPPORT");
  await sidebar(page).getByRole("link", { name: "Devices" }).click();
  await page.getByLabel("Token (full or prefix)").fill("A");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/[?&]token=A/);

  const first = await shownTokens(page);
  const firstIds = await shownIds(page);
  expect(first).toHaveLength(50);
  expect(first.every((t) => t.startsWith("a"))).toBe(true);
  expect(first).toEqual([...first].sort());

  await page.getByRole("link", { name: "Next page" }).click();
  // The cursor names a device, never a token.
  await expect(page).toHaveURL(/[?&]cursor=t%3A\d+/);
  await expect.poll(async () => (await shownTokens(page))[0]).not.toBe(first[0]);
  const second = await shownTokens(page);
  expect(second.length).toBeGreaterThan(0);
  expect(second.every((t) => t.startsWith("a"))).toBe(true);
  expect([...first, ...second]).toEqual([...first, ...second].sort());
  // Each device once (other tests register tokens that share their first 16 digits).
  const ids = [...firstIds, ...(await shownIds(page))];
  expect(new Set(ids).size).toBe(ids.length);

  await page.getByRole("link", { name: "Previous page" }).click();
  await expect.poll(() => shownTokens(page)).toEqual(first);
});
