import { readFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

const token = () => randomBytes(32).toString("hex");

// An admin imports a CSV with good and bad rows: the good ones are registered, the bad ones are
// counted and downloadable with their line number and reason.
test("admin imports a CSV with bad rows and downloads the rejects", async ({ page }) => {
  const user = `import-${Date.now()}`;
  const good = [token(), token(), token()];
  const csv = [
    "app,token,environment,userId,tags,attributes",
    `com.pushdeck.demo,${good[0]},production,${user},vip;beta,"{""plan"":""premium""}"`,
    `com.pushdeck.demo,${good[1]},sandbox,${user},,`,
    "com.pushdeck.demo,not-a-token,production,someone,,", // line 4: not hex
    `com.unknown.app,${token()},production,someone,,`, // line 5: app not registered
    `com.pushdeck.demo,${token()},staging,someone,,`, // line 6: bad environment
    `com.pushdeck.demo,${token()},production,someone,,{broken`, // line 7: attributes not JSON
    `com.pushdeck.demo,${good[2]},production,${user},,`,
    "com.pushdeck.demo,=1+2,production,someone,,", // line 9: a formula, also not hex
  ].join("\n");

  await signInAs(page, "ADMIN");
  await page.goto("/devices");
  await page.getByRole("link", { name: "Import CSV" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Import devices" })).toBeVisible();
  await page
    .getByLabel("CSV file")
    .setInputFiles({ name: "devices.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Import", exact: true }).click();

  await expect(page.getByText("Import finished", { exact: true })).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Import progress" })).toHaveAttribute(
    "aria-valuenow",
    "100",
  );
  await expect(page.getByTestId("import-percent")).toHaveText("100%");
  await expect(page.getByTestId("import-counts")).toHaveText(
    "8 rows processed · 3 accepted · 5 rejected",
  );

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download rejects (CSV)" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("import-rejects.csv");
  const rejects = (await readFile((await download.path())!, "utf8")).trim().split(/\r?\n/);
  expect(rejects[0]).toBe("row,token,reasons");
  expect(rejects).toHaveLength(6);
  const byRow = new Map(rejects.slice(1).map((line) => [line.split(",")[0], line]));
  expect([...byRow.keys()].sort()).toEqual(["4", "5", "6", "7", "9"]);
  expect(byRow.get("4")).toContain("hex");
  expect(byRow.get("5")).toContain("com.unknown.app");
  expect(byRow.get("6")).toContain("environment");
  expect(byRow.get("7")).toContain("attributes");
  // Cells from the file are neutralised as in the export: a spreadsheet shows the formula as text.
  expect(byRow.get("9")).toMatch(/^9,'=1\+2,/);

  // The accepted rows are in the registry and searchable.
  await page.goto(`/devices?user=${user}`);
  const results = page.getByRole("table", { name: "Devices matching the search" });
  await expect(results.locator("tbody tr")).toHaveCount(3);
  await page.goto(`/devices?token=${good[0].slice(0, 12)}`);
  await expect(results.locator("tbody tr")).toHaveCount(1);
  await expect(results.getByText("vip")).toBeVisible();
});
