import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import path from "node:path";
import { expect, test, type ConsoleMessage } from "@playwright/test";
import { FORBIDDEN_TEXT, signInAs } from "./helpers";

// The request edge of the production server (`npm start`: server.ts, its registration fast path and
// Next behind it): bad input is a 4xx with our headers, pages carry a nonce CSP and still hydrate,
// unauthenticated bodies are not read, and the CSV import takes large files whole and only from our
// own pages (docs/decisions/0001-request-edge.md).

function createKey(scopes: string): string {
  const output = execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/pushdeck.ts",
      "apikey",
      "create",
      "--name",
      `edge ${scopes}`,
      "--scopes",
      scopes,
    ],
    { env: { ...process.env, PUSHDECK_DATA_DIR: path.resolve(".tmp/e2e-data") }, encoding: "utf8" },
  );

  return /key \(shown once, store it now\): (\S+)/.exec(output)![1];
}

type RawAnswer = { head: string; status: number; closedAfterMs: number | null; ms: number };

/**
 * Sends `head` (request line and headers) on a raw socket and no body, then reads the answer; also
 * reports whether the server closed the connection soon after.
 */
function rawRequest(baseURL: string, head: string, timeoutMs = 5_000): Promise<RawAnswer> {
  const url = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(Number(url.port), url.hostname);
    let text = "";
    let answeredAt = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms (got ${JSON.stringify(text)})`));
    }, timeoutMs);
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({
        head: text.split("\r\n\r\n")[0],
        status,
        ms: answeredAt - started,
        closedAfterMs: closed ? Date.now() - answeredAt : null,
      });
    };
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      if (!answeredAt && text.includes("\r\n\r\n")) {
        answeredAt = Date.now();
        // Wait a little for the server to close the connection (it should, within its drain time).
        setTimeout(() => finish(socket.readableEnded || socket.destroyed), 3_000);
      }
    });
    socket.on("end", () => answeredAt && finish(true));
    socket.on("close", () => answeredAt && finish(true));
    socket.on("error", () => {});
    socket.write(head.replace(/\n/g, "\r\n") + "\r\n\r\n");
  });
}

const registration = (key: string, extra = "") =>
  [
    "POST /api/v1/devices HTTP/1.1",
    "Host: 127.0.0.1",
    `Authorization: Bearer ${key}`,
    "Content-Type: application/json",
    "Content-Length: 7000000",
    extra,
  ]
    .filter(Boolean)
    .join("\n");

test("the fast path answers 401 and 403 from the headers, without reading a 7 MB body", async ({
  baseURL,
}) => {
  const unknownKey = `pd_AAAAAAAA_${"a".repeat(32)}`;
  const refused = await rawRequest(baseURL!, registration(unknownKey));
  expect(refused.status).toBe(401);
  expect(refused.head).toMatch(/content-type: application\/problem\+json/i);
  expect(refused.head).toMatch(/x-content-type-options: nosniff/i);
  // Not kept open to swallow the 7 MB that was announced.
  expect(refused.closedAfterMs).not.toBeNull();

  const readOnly = createKey("devices:read");
  const forbidden = await rawRequest(baseURL!, registration(readOnly));
  expect(forbidden.status).toBe(403);
  expect(forbidden.closedAfterMs).not.toBeNull();
});

test("a malformed Host header is a 400 with the security headers, not a 500", async ({
  baseURL,
}) => {
  for (const target of ["POST /api/v1/devices", "GET /login"]) {
    const answer = await rawRequest(
      baseURL!,
      [`${target} HTTP/1.1`, "Host: a b", "Content-Length: 0"].join("\n"),
    );
    expect(answer.status, target).toBe(400);
    expect(answer.head).toMatch(/x-content-type-options: nosniff/i);
    expect(answer.head).toMatch(/content-security-policy: default-src 'none'/i);
  }
});

test("bad percent-encoding in a path is a 400, not a 500", async ({ request }) => {
  const key = createKey("devices:read");
  const api = await request.get("/api/v1/users/%FF/devices", {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(api.status()).toBe(400);
  expect(api.headers()["content-type"]).toContain("application/problem+json");
  expect((await request.get("/devices/users/%E0%A4%A")).status()).toBe(400);
});

test("pages carry a nonce CSP, Permissions-Policy and no HSTS over plain HTTP, and still hydrate", async ({
  page,
  request,
}) => {
  const login = await request.get("/login", { headers: { "x-forwarded-proto": "https" } });
  const csp = login.headers()["content-security-policy"];
  expect(csp).toMatch(/default-src 'self'/);
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
  expect(login.headers()["permissions-policy"]).toContain("camera=()");
  // No trusted proxy is configured, so a client's X-Forwarded-Proto does not earn HSTS.
  expect(login.headers()["strict-transport-security"]).toBeUndefined();
  const html = await login.text();
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  // A fresh nonce per response.
  const again = (await request.get("/login")).headers()["content-security-policy"];
  expect(again).not.toBe(csp);

  const violations: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  };
  page.on("console", onConsole);
  await signInAs(page, "ADMIN");
  // Radix's menu opens only once React has hydrated.
  await page.getByRole("button", { name: /^Account menu/ }).click();
  await expect(page.getByRole("menuitem", { name: "Sign out" })).toBeVisible();
  await page.keyboard.press("Escape");
  await page.goto("/devices");
  await expect(page.getByRole("heading", { level: 1, name: "Devices" })).toBeVisible();
  expect(violations).toEqual([]);
});

test("support gets a real 403 on the import page, and a bad device cursor is a 404", async ({
  page,
}) => {
  await signInAs(page, "SUPPORT");
  const response = await page.goto("/devices/import");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: FORBIDDEN_TEXT })).toBeVisible();

  for (const href of ["/devices/1?before=1e30", "/devices/1e30", "/devices/99999999999"])
    expect((await page.goto(href))?.status(), href).toBe(404);
  expect((await page.goto("/devices/1"))?.status()).toBe(200);
});

test("the CSV import accepts only our own pages, and a file over 10 MB is imported whole", async ({
  page,
  baseURL,
}) => {
  await signInAs(page, "ADMIN");
  const csv = "app,token,environment\ncom.pushdeck.demo," + "ab".repeat(32) + ",production\n";
  const crossSite = await page.request.post("/devices/import/upload", {
    headers: { "content-type": "text/csv", origin: "https://evil.example" },
    data: csv,
  });
  expect(crossSite.status()).toBe(403);
  const noOrigin = await page.request.post("/devices/import/upload", {
    headers: { "content-type": "text/csv" },
    data: csv,
  });
  expect(noOrigin.status()).toBe(403);
  const formPost = await page.request.post("/devices/import/upload", {
    headers: { "content-type": "application/x-www-form-urlencoded", origin: baseURL! },
    data: csv,
  });
  expect(formPost.status()).toBe(415);

  // 3,800 rows of ~3 KB: 11.5 MB, past the 10 MB that Next's proxy buffers.
  const user = `big-${Date.now()}`;
  const attributes = JSON.stringify({
    a: "x".repeat(1000),
    b: "y".repeat(1000),
    c: "z".repeat(900),
  });
  const cell = `"${attributes.replace(/"/g, '""')}"`;
  const rows = Array.from(
    { length: 3_800 },
    () => `com.pushdeck.demo,${randomBytes(32).toString("hex")},production,${user},${cell}`,
  );
  const big = Buffer.from(["app,token,environment,userId,attributes", ...rows].join("\n") + "\n");
  expect(big.length).toBeGreaterThan(10.5 * 1024 * 1024);
  const imported = await page.request.post("/devices/import/upload", {
    headers: { "content-type": "text/csv", origin: new URL(baseURL!).origin },
    data: big,
    timeout: 120_000,
  });
  expect(imported.status()).toBe(200);
  const events = (await imported.text())
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { type: string; processed?: number; accepted?: number });
  const last = events[events.length - 1];
  expect(last).toMatchObject({ type: "done", processed: 3_800, accepted: 3_800 });
});
