import { expect, test } from "@playwright/test";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// README's first command on a fresh clone: `npm install && npm start` with no environment at all
// answers /api/health on the embedded SQLite database. node_modules is hard-linked from this
// checkout so the test does not need the registry; `npm install` still runs (and its postinstall).
test("a fresh clone starts with `npm start` and no configuration", async () => {
  test.setTimeout(480_000);
  const root = process.cwd();
  const dir = mkdtempSync(path.join(tmpdir(), "pushdeck-clone-"));
  let server: ChildProcess | undefined;
  try {
    execFileSync("git", ["clone", "-q", "--no-hardlinks", root, dir]);
    execFileSync("cp", ["-al", path.join(root, "node_modules"), path.join(dir, "node_modules")]);
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? dir,
      PORT: "3197",
    } as unknown as NodeJS.ProcessEnv;
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline"], {
      cwd: dir,
      env,
      stdio: "pipe",
    });
    const output: string[] = [];
    const started = spawn("npm", ["start"], { cwd: dir, env, detached: true });
    server = started;
    started.stdout?.on("data", (chunk) => output.push(String(chunk)));
    started.stderr?.on("data", (chunk) => output.push(String(chunk)));

    let health: { status: string; database: string; demo: boolean } | undefined;
    await expect
      .poll(
        async () => {
          const response = await fetch("http://127.0.0.1:3197/api/health").catch(() => null);
          if (response?.ok) health = await response.json();

          return response?.status ?? 0;
        },
        { timeout: 420_000, intervals: [2_000] },
      )
      .toBe(200);
    expect(health).toMatchObject({ status: "ok", database: "sqlite", demo: true });
    expect(output.join("")).toContain("created the first admin");
    const login = await fetch("http://127.0.0.1:3197/login");
    expect(login.status).toBe(200);
  } finally {
    if (server?.pid) process.kill(-server.pid, "SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    rmSync(dir, { recursive: true, force: true });
  }
});
