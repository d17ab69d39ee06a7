import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

// Admin → API keys: the key is shown once, works against the API with its scope, and stops working
// the moment it is revoked.
test("admin creates an API key, sees it once, uses it, and revokes it", async ({ page }) => {
  const name = `e2e backend ${Date.now()}`;
  await signInAs(page, "ADMIN");
  await page.goto("/admin/api-keys");
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();

  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog");
  // Field errors first: no name, no scope.
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText("Enter a name")).toBeVisible();
  await expect(dialog.getByText("Choose at least one scope")).toBeVisible();

  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("checkbox", { name: /devices:read/ }).check();
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText("This is the only time the key is shown")).toBeVisible();
  const key = (await dialog.getByTestId("new-api-key").textContent())?.trim() ?? "";
  expect(key).toMatch(/^pd_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}$/);

  const ok = await page.request.get("/api/v1/users/user-0001/devices", {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(ok.status()).toBe(200);

  await dialog.getByRole("button", { name: "I have copied the key" }).click();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row.getByText(`${key.slice(0, 11)}_…`)).toBeVisible();
  await expect(row.getByText("devices:read")).toBeVisible();
  await expect(row.getByText("Active")).toBeVisible();
  // Never shown again: the secret is in no part of the page.
  expect(await page.content()).not.toContain(key);

  await row.getByRole("button", { name: `Revoke key ${name}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(row.getByText("Revoked")).toBeVisible();
  const refused = await page.request.get("/api/v1/users/user-0001/devices", {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(refused.status()).toBe(401);
});
