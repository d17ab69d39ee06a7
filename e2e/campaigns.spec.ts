import { expect, test, type Browser, type Page } from "@playwright/test";
import { FORBIDDEN_TEXT, signInAs } from "./helpers";

// Issue 11, the campaign composer, in Chromium against the real server (demo mode: the demo app,
// its 2,000 seeded devices and the built-in APNs simulator). Marketing composes an alert with two
// locales and custom data, watches the byte meter and the preview follow the typing, meets a lint
// error and fixes it, adds a test device and sends a test through the simulator, builds a segment
// and sees the count change, schedules for later and finds the campaign in the list. Support can
// neither open the composer nor call its server actions. A last test measures the preview's cost
// per keystroke in the page for a 4 KB payload with 10 locales.

const NAME = `Spring sale ${Date.now().toString(36)}`;

const byteCount = async (page: Page) =>
  Number(await page.getByTestId("byte-meter").getAttribute("data-bytes"));
const audienceCount = async (page: Page) => {
  const box = page.getByTestId("audience-count");
  await expect(box).toHaveAttribute("data-count", /^\d+$/);

  return Number(await box.getAttribute("data-count"));
};
/** The composer is hydrated: text typed before that would be reset to the form's defaults. */
const composerReady = (page: Page) =>
  expect(page.locator("form[aria-label=Campaign][data-ready]")).toBeVisible();
const notification = (page: Page) => page.getByTestId("preview").getByTestId("notification-card");

/** A production device of the demo app, with its full token, as an admin sees it. */
async function productionDevice(browser: Browser): Promise<{ id: string; token: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, "ADMIN");
  await page.goto("/devices?environment=production&status=active");
  const href = await page
    .getByRole("link", { name: /^Open device/ })
    .first()
    .getAttribute("href");
  await page.goto(href!);
  const token = (await page.locator("code[title]").first().getAttribute("title"))!;
  await context.close();
  expect(token).toMatch(/^[0-9a-f]{64}$/);

  return { id: href!.split("/").pop()!, token };
}

test("marketing composes, previews, tests, targets and schedules a campaign", async ({
  page,
  browser,
}) => {
  const device = await productionDevice(browser);
  await signInAs(page, "MARKETING");
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Campaigns" })
    .click();
  await page.getByRole("link", { name: "New campaign" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "New campaign" })).toBeVisible();
  await composerReady(page);

  await page.getByLabel("Name", { exact: true }).fill(NAME);
  await expect(page.getByLabel("Push type")).toHaveValue("alert");

  // The byte meter and the lock screen follow each keystroke.
  const empty = await byteCount(page);
  await page.getByLabel("Title", { exact: true }).pressSequentially("Spring sale");
  await expect.poll(() => byteCount(page)).toBe(empty + '"alert":{"title":"Spring sale"},'.length);
  await expect(notification(page)).toContainText("Spring sale");
  const titled = await byteCount(page);
  await page.getByLabel("Body", { exact: true }).pressSequentially("30% off everything");
  await expect.poll(() => byteCount(page)).toBeGreaterThan(titled);
  await expect(notification(page)).toContainText("30% off everything");
  await expect(page.getByTestId("request-body")).toContainText('"body": "30% off everything"');

  // Two localized variants.
  for (const [locale, title, body] of [
    ["fr", "Soldes de printemps", "30 % sur tout"],
    ["de", "Frühlingsangebote", "30 % auf alles"],
  ]) {
    await page.getByLabel("Add a language").fill(locale);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect(page.getByRole("tab", { name: locale, exact: true })).toHaveAttribute(
      "aria-selected",
      "true",
    );
    await page.getByLabel(`Title (${locale})`, { exact: true }).fill(title);
    await page.getByLabel(`Body (${locale})`, { exact: true }).fill(body);
  }
  await page.getByLabel("Device language").selectOption("fr");
  await expect(notification(page)).toContainText("Soldes de printemps");
  await expect(page.getByTestId("request-body")).toContainText('"title": "Soldes de printemps"');
  await page.getByLabel("Device language").selectOption("");
  await expect(notification(page)).toContainText("Spring sale");

  // Custom data, with a JSON mistake first.
  const data = page.getByLabel("Custom data (JSON)");
  await data.fill('{ "deeplink": "myapp://spring" ');
  await expect(page.getByText(/^Not valid JSON/)).toBeVisible();
  await data.fill('{ "deeplink": "myapp://spring" }');
  await expect(page.getByText(/^Not valid JSON/)).toHaveCount(0);
  await expect(page.getByTestId("request-body")).toContainText('"deeplink": "myapp://spring"');

  // A lint error next to its field, which blocks scheduling until fixed.
  const priority = page.getByLabel("Priority");
  await priority.selectOption("1");
  const priorityIssue = page.getByText("alert pushes must use priority 10 or 5");
  await expect(priorityIssue.first()).toBeVisible();
  await expect(priority).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("button", { name: "Review and schedule" })).toBeDisabled();
  await priority.selectOption("10");
  await expect(priorityIssue).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Review and schedule" })).toBeEnabled();
  await expect(page.getByTestId("save-state")).toHaveText("Saved");
  await expect(page).toHaveURL(/\/campaigns\/[a-z0-9]+$/);

  // A test device, and a test through the simulator with APNs' answer.
  await page.getByLabel("Device token, device id or user id").fill(device.token);
  await page.getByRole("button", { name: "Add test device" }).click();
  // Marketing sees the token masked (its first and last characters).
  await expect(page.getByRole("list", { name: "Your test devices" })).toContainText(
    `${device.token.slice(0, 6)}…${device.token.slice(-6)}`,
  );
  await page.getByRole("button", { name: "Send test", exact: true }).click();
  const answers = page.getByRole("list", { name: "APNs answers" });
  await expect(answers).toContainText("APNs answered 200 accepted");
  await expect(answers).toContainText(/apns-id [0-9a-f-]{36}/i);

  // A segment: the live count follows it.
  const everyone = await audienceCount(page);
  await page.getByRole("radio", { name: "A segment" }).click();
  await expect(page.getByTestId("audience-count")).toContainText("Not counted");
  await page.getByLabel("Locales").fill("fr-FR, de-DE");
  await expect.poll(() => audienceCount(page)).toBeLessThan(everyone);
  const byLocale = await audienceCount(page);
  expect(byLocale).toBeGreaterThan(0);
  await page.getByLabel("Has any of these tags").fill("beta");
  await expect.poll(() => audienceCount(page)).toBeLessThan(byLocale);
  const segment = await audienceCount(page);
  expect(segment).toBeGreaterThan(0);

  // Schedule for tomorrow 09:00 (the viewer's time), with a throttle; confirm.
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
  const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, "0")}-${String(tomorrow.getDate()).padStart(2, "0")}`;
  await page.getByRole("radio", { name: "At a date and time" }).click();
  await page.getByLabel("Date and time (your time zone)").fill(`${day}T09:00`);
  await page.getByLabel("Throttle (messages a minute)").fill("600");
  await expect(page.getByTestId("save-state")).toHaveText("Saved");
  await page.getByRole("button", { name: "Review and schedule" }).click();
  const dialog = page.getByRole("dialog", { name: "Schedule this campaign?" });
  await expect(dialog.getByTestId("confirm-audience")).toHaveText(
    `${segment.toLocaleString("en-US")} active devices`,
  );
  await expect(dialog).toContainText("600 messages a minute");
  // One card per theme; the visible one follows the app's theme.
  await expect(dialog.locator("[data-testid=notification-card]:visible")).toContainText(
    "Spring sale",
  );
  await dialog.getByRole("button", { name: "Schedule", exact: true }).click();
  await expect(page.getByText("This campaign is scheduled")).toBeVisible();

  // In the list, found by name, with its status and audience.
  await page.goto("/campaigns");
  await page.getByLabel("Name").fill(NAME);
  await page.getByRole("button", { name: "Filter" }).click();
  const row = page.getByRole("row", { name: new RegExp(NAME) });
  await expect(row).toContainText("Scheduled");
  await expect(row).toContainText(segment.toLocaleString("en-US"));
  await expect(row).toContainText("Mia Marketing");
});

test("support cannot open the composer or call its actions", async ({ page, browser }) => {
  // A real server action call, captured from marketing's composer (its live audience count)…
  const marketing = await browser.newContext();
  const composer = await marketing.newPage();
  await signInAs(composer, "MARKETING");
  let captured: { headers: Record<string, string>; body: string; answer: string } | null = null;
  await composer.route("**/campaigns/new", async (route) => {
    const request = route.request();
    if (request.method() !== "POST" || !request.headers()["next-action"] || captured)
      return route.continue();
    const response = await route.fetch();
    captured = {
      headers: request.headers(),
      body: request.postData() ?? "",
      answer: await response.text(),
    };
    await route.fulfill({ response });
  });
  await composer.goto("/campaigns/new");
  await expect.poll(() => captured?.answer ?? "").toContain('"ok":true');
  await marketing.close();
  const call = captured!;

  // …is refused for support, as are the pages.
  await signInAs(page, "SUPPORT");
  for (const path of ["/campaigns/new", "/campaigns"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByText(FORBIDDEN_TEXT)).toBeVisible();
  }
  const replay = await page.request.post("/campaigns/new", {
    headers: {
      "next-action": call.headers["next-action"],
      "content-type": call.headers["content-type"],
      accept: "text/x-component",
    },
    data: call.body,
  });
  const body = await replay.text();
  expect(body).toContain('"code":"FORBIDDEN"');
  expect(body).not.toContain('"ok":true');
});

test("the preview recomputes in under 16 ms a keystroke for a 4 KB payload in 10 locales", async ({
  page,
}) => {
  await signInAs(page, "MARKETING");
  await page.goto("/campaigns/new");
  await composerReady(page);
  await page.getByLabel("Title", { exact: true }).fill("Spring sale: 30% off everything");
  // ~3.9 KB of body: with aps and the title, each locale's request is just under 4,096 bytes.
  const words = "Everything in the shop is on sale until Sunday night, tap to see the offers. ";
  await page.getByLabel("Body", { exact: true }).fill(words.repeat(50).slice(0, 3900));
  const locales = ["fr", "de", "es", "it", "ja", "pt-BR", "nl", "sv", "ko", "zh-CN"];
  for (const locale of locales) {
    await page.getByLabel("Add a language").fill(locale);
    await page.getByRole("button", { name: "Add", exact: true }).click();
  }
  await page.getByRole("tab", { name: "Default" }).click();
  const bytes = await byteCount(page);
  expect(bytes).toBeGreaterThan(3900);
  expect(bytes).toBeLessThanOrEqual(4096);

  // In the page: each keystroke is a native input event on the body; timed from the event to the
  // byte meter showing the new size (React's commit), and the preview computation alone (its User
  // Timing entry). The body shrinks by one character per keystroke, staying under the limit.
  const figures = await page.evaluate(async () => {
    const body = document.querySelector<HTMLTextAreaElement>("#f-message-body")!;
    const meter = document.querySelector<HTMLElement>("[data-testid=byte-meter]")!;
    const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!;
    const total: number[] = [];
    const compute: number[] = [];
    // The first 10 keystrokes warm the page up (JIT) and are not counted.
    for (let i = 0; i < 70; i++) {
      const before = meter.dataset.bytes;
      const changed = new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          if (meter.dataset.bytes !== before) {
            observer.disconnect();
            resolve(performance.now());
          }
        });
        observer.observe(meter, { attributes: true });
      });
      const start = performance.now();
      setValue.call(body, body.value.slice(0, -1));
      body.dispatchEvent(new Event("input", { bubbles: true }));
      const end = await changed;
      if (i >= 10) {
        total.push(end - start);
        compute.push(performance.getEntriesByName("campaign-preview").at(-1)?.duration ?? NaN);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const stats = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

      return { median: at(0.5), p95: at(0.95), max: sorted.at(-1)! };
    };

    return { total: stats(total), compute: stats(compute), keystrokes: total.length };
  });
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  console.log(
    `preview, ${bytes}-byte payload, 11 texts (default + ${locales.length} locales), ${figures.keystrokes} keystrokes: ` +
      `computation median ${ms(figures.compute.median)}, p95 ${ms(figures.compute.p95)}, max ${ms(figures.compute.max)}; ` +
      `keystroke to updated preview median ${ms(figures.total.median)}, p95 ${ms(figures.total.p95)}, max ${ms(figures.total.max)}`,
  );
  // The bound holds for the typical keystroke, the recomputation and the whole keystroke (React's
  // render and commit included); the tail (p95, max) is printed: on a shared 2-core machine it
  // follows what else is running.
  expect(figures.compute.median).toBeLessThan(16);
  expect(figures.total.median).toBeLessThan(16);
});
