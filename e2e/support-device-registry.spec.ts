import { expect, test } from "@playwright/test";
import { sidebar, signInAs } from "./helpers";

// Support's daily journey (issue "Device registry"): find a user by id, open one of their devices,
// send a test push through the real sender to the built-in APNs simulator, read the answer and the
// new timeline entry, then revoke the device.
test("support finds a user, sends a test push, sees the answer and the timeline, revokes", async ({
  page,
}) => {
  await signInAs(page, "SUPPORT");
  await sidebar(page).getByRole("link", { name: "Devices" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Devices" })).toBeVisible();

  await page.getByLabel("User ID").fill("user-0001");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/[?&]user=user-0001/);
  const results = page.getByRole("table", { name: "Devices matching the search" });
  await expect(results.getByRole("link", { name: "user-0001" }).first()).toBeVisible();
  // Only this user's devices are listed.
  const users = await results.locator("tbody tr td:nth-child(2)").allTextContents();
  expect(users.length).toBeGreaterThan(0);
  expect(new Set(users)).toEqual(new Set(["user-0001"]));

  await results.getByRole("link", { name: "user-0001" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "User user-0001" })).toBeVisible();
  await page
    .getByRole("link", { name: /Open device/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { name: "Send a test push" })).toBeVisible();
  await expect(page.getByText("Nothing sent to this device yet")).toBeVisible();

  await page.getByLabel("Title").fill("Hello");
  await page.getByLabel("Body").fill("A test push from the e2e suite");
  await page.getByRole("button", { name: "Send test push" }).click();
  const answer = page.getByTestId("test-push-answer");
  await expect(answer.getByText("APNs answered: 200 accepted")).toBeVisible();
  const apnsId = (await answer.locator("dd").first().textContent())?.trim() ?? "";
  expect(apnsId).toMatch(/^[0-9a-f-]{36}$/i);

  // The same send, recorded in the device's timeline with its apns-id.
  const entry = page.getByTestId("timeline-entry").first();
  await expect(entry.getByText("200 accepted")).toBeVisible();
  await expect(entry.getByText("Test push")).toBeVisible();
  await expect(entry.getByText(apnsId)).toBeVisible();

  await page.getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke this device?" });
  await dialog.getByLabel(/Reason/).fill("User asked to stop notifications on this phone");
  await dialog.getByRole("button", { name: "Revoke device" }).click();
  await expect(page.getByText("Device revoked")).toBeVisible();
  await expect(page.getByText("Test pushes are off")).toBeVisible();
  await expect(
    page.getByRole("list", { name: "Registration history" }).getByText("Revoked"),
  ).toBeVisible();
  await expect(
    page.getByText("User asked to stop notifications on this phone").first(),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Revoke" })).toHaveCount(0);
});
