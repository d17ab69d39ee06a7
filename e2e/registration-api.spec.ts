import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import path from "node:path";
import http from "node:http";

// The registration API as apps reach it in production: `npm start`'s server.ts, whose lean path
// serves these two endpoints beside Next. The key is made with the CLI on the server's own data.
function createKey(): string {
  const output = execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/pushdeck.ts",
      "apikey",
      "create",
      "--name",
      "e2e app backend",
      "--scopes",
      "devices:write,devices:read",
    ],
    {
      env: { ...process.env, PUSHDECK_DATA_DIR: path.resolve(".tmp/e2e-data") },
      encoding: "utf8",
    },
  );

  return /key \(shown once, store it now\): (\S+)/.exec(output)![1];
}

const token = (n: number) => n.toString(16).padStart(64, "a");

test("apps register tokens through the production server: single, batch, oversize bodies", async ({
  request,
  baseURL,
}) => {
  const key = createKey();
  const headers = { authorization: `Bearer ${key}` };
  const device = {
    app: "com.pushdeck.demo",
    token: token(1),
    environment: "sandbox",
    userId: "e2e-user",
    tags: ["e2e"],
  };

  const created = await request.post("/api/v1/devices", { headers, data: device });
  expect(created.status()).toBe(201);
  expect(created.headers()["x-content-type-options"]).toBe("nosniff");
  expect(await created.json()).toMatchObject({ token: token(1), result: "created" });
  expect((await request.post("/api/v1/devices", { headers, data: device })).status()).toBe(200);

  const bad = await request.post("/api/v1/devices", { headers, data: { ...device, token: "xyz" } });
  expect(bad.status()).toBe(422);
  expect(bad.headers()["content-type"]).toContain("application/problem+json");
  expect((await request.post("/api/v1/devices", { data: device })).status()).toBe(401);

  const batch = await request.post("/api/v1/devices/batch", {
    headers,
    data: {
      devices: [
        { ...device, token: token(2) },
        { ...device, token: "odd" },
        { ...device, token: token(3) },
      ],
    },
  });
  expect(batch.status()).toBe(200);
  expect(await batch.json()).toMatchObject({ summary: { received: 3, created: 2, rejected: 1 } });

  // A chunked body with no Content-Length is cut off at the limit (16 KiB), not buffered whole.
  // 512 KiB fits in loopback socket buffers, so the client finishes writing before the answer.
  const url = new URL("/api/v1/devices", baseURL);
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", headers: { ...headers, "content-type": "application/json" } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < 8) {
        sent += 1;
        if (!req.write(chunk)) return req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
  expect(status).toBe(413);

  const found = await request.get(`/api/v1/devices/${token(3)}?app=com.pushdeck.demo`, { headers });
  expect(found.status()).toBe(200);
  expect(await found.json()).toMatchObject({ token: token(3), userId: "e2e-user" });
});
