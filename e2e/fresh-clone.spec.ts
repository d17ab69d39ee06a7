import { expect, test } from "@playwright/test";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, submitSignIn, WRONG_CREDENTIALS_TEXT } from "./helpers";

// README's first command on a fresh clone: `npm install && npm start` with no environment at all
// starts safely: demo mode on 127.0.0.1 only, announced on the console; the first admin's password
// in a 0600 file (never on the console); the data folder 0700; /api/health telling anyone only its
// status and database kind. A second start with PUSHDECK_DEMO=0 disables the demo accounts.
// node_modules is hard-linked from this checkout so the test does not need the registry;
// `npm install` still runs (and its postinstall).
const PORT = 3197;
const LOCAL = `http://127.0.0.1:${PORT}`;

/** An address of this machine that other machines reach it by (not loopback), if it has one. */
function networkAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === "IPv4" && !address.internal)?.address;
}

async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
    () => true,
    () => false,
  );
}

type Server = { process: ChildProcess; output: string[] };

function npmStart(dir: string, env: NodeJS.ProcessEnv): Server {
  const output: string[] = [];
  const started = spawn("npm", ["start"], { cwd: dir, env, detached: true });
  started.stdout?.on("data", (chunk) => output.push(String(chunk)));
  started.stderr?.on("data", (chunk) => output.push(String(chunk)));

  return { process: started, output };
}

async function waitForHealth(timeout: number): Promise<unknown> {
  let health: unknown;
  await expect
    .poll(
      async () => {
        const response = await fetch(`${LOCAL}/api/health`).catch(() => null);
        if (response?.ok) health = await response.json();

        return response?.status ?? 0;
      },
      { timeout, intervals: [2_000] },
    )
    .toBe(200);

  return health;
}

async function stop(server: Server | undefined): Promise<void> {
  if (!server?.process.pid || server.process.exitCode !== null) return;
  const exited = new Promise((resolve) => server.process.once("exit", resolve));
  process.kill(-server.process.pid, "SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

const mode = (file: string) => statSync(file).mode & 0o777;

test.use({ baseURL: LOCAL });

test("a fresh clone starts safely with `npm start` and no configuration", async ({ page }) => {
  test.setTimeout(600_000);
  const root = process.cwd();
  const dir = mkdtempSync(path.join(tmpdir(), "pushdeck-clone-"));
  const data = path.join(dir, "data");
  let server: Server | undefined;
  try {
    execFileSync("git", ["clone", "-q", "--no-hardlinks", root, dir]);
    execFileSync("cp", ["-al", path.join(root, "node_modules"), path.join(dir, "node_modules")]);
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? dir,
      PORT: String(PORT),
    } as unknown as NodeJS.ProcessEnv;
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline"], {
      cwd: dir,
      env,
      stdio: "pipe",
    });

    server = npmStart(dir, env);
    const health = await waitForHealth(480_000);
    // Anyone may call it: status and database kind, no demo flag, no version.
    expect(health).toEqual({ status: "ok", database: "sqlite" });
    const printed = server.output.join("");
    expect(printed).toContain("DEMO MODE");
    expect(printed).toContain(`Listening on 127.0.0.1:${PORT} only`);

    // Demo mode keeps to this machine.
    const outside = networkAddress();
    if (outside) expect(await answers(`http://${outside}:${PORT}/api/health`)).toBe(false);
    else test.info().annotations.push({ type: "note", description: "no network address to try" });

    // The first admin's password is in a file only this user reads; the console says where.
    const passwordFile = path.join(data, "initial-admin-password");
    const password = /^password: (.+)$/m.exec(readFileSync(passwordFile, "utf8"))?.[1] ?? "";
    expect(password).not.toBe("");
    expect(printed).toContain(`created the first admin admin@pushdeck.local`);
    expect(printed).toContain(passwordFile);
    expect(printed).not.toContain(password);
    expect(mode(data)).toBe(0o700);
    for (const name of [
      "initial-admin-password",
      "auth-secret",
      "secret-key",
      "pushdeck.db",
      "pushdeck.db-wal",
      "pushdeck.db-shm",
    ])
      expect([name, mode(path.join(data, name))]).toEqual([name, 0o600]);

    // The demo accounts work in demo mode.
    await page.goto("/login");
    await expect(page.getByRole("region", { name: "Demo accounts" })).toBeVisible();

    // Leaving demo mode disables them; the admin from the file signs in.
    await stop(server);
    server = npmStart(dir, { ...env, PUSHDECK_DEMO: "0" });
    await waitForHealth(120_000);
    expect(server.output.join("")).toContain("disabled 3 demo account(s)");
    await page.goto("/login");
    await expect(page.getByRole("region", { name: "Demo accounts" })).toHaveCount(0);
    await submitSignIn(page, DEMO_ACCOUNTS.ADMIN, DEMO_PASSWORD, false);
    await expect(page.getByRole("alert").filter({ hasText: WRONG_CREDENTIALS_TEXT })).toBeVisible();
    await submitSignIn(page, "admin@pushdeck.local", password);
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  } finally {
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
});
