import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "@/lib/apns/simulator";
import {
  createTestClientCa,
  createTestPushCertificate,
} from "@/lib/apns/simulator/test-certificates";
import { createPrismaClient, type Db } from "@/lib/db/client";
import { createEmptyDatabase, testProvider } from "./helpers/test-database";

// The CLI as an operator runs it: `npm run pushdeck -- …` in a child process, on a real database.
const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), "pushdeck-cli-"));
let env: NodeJS.ProcessEnv;
let remove: () => Promise<void>;
let db: Db;
let simulator: Awaited<ReturnType<typeof startSimulator>>;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", "scripts/pushdeck.ts", ...args],
      { env, cwd: process.cwd() },
    );

    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };

    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  const empty = await createEmptyDatabase();
  remove = empty.remove;
  env = {
    ...process.env,
    DATABASE_URL: empty.config.url,
    PUSHDECK_DATA_DIR: dir,
    PUSHDECK_SECRET_KEY: "cli-test-key-long-enough-for-the-key-check",
  };
  db = createPrismaClient(empty.config);
  simulator = await startSimulator({ port: 0, mode: "sandbox" });
  writeFileSync(path.join(dir, "ca.pem"), simulator.caPem);
  const key = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
    .privateKey.export({ format: "pem", type: "pkcs8" })
    .toString();
  writeFileSync(path.join(dir, "key.p8"), key);
  simulator.registerKey({
    keyId: "CLIKEY0001",
    teamId: "CLITEAM001",
    privateKeyPem: key,
    environment: "both",
  });
});

afterAll(async () => {
  await db?.$disconnect();
  await simulator?.close();
  await remove?.();
});

describe(`the CLI on ${testProvider()}`, () => {
  it("migrate applies the committed migrations, then has nothing to do", async () => {
    expect(await cli("migrate")).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/applied on .*_init/),
    });
    expect(await cli("migrate")).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("already up to date"),
    });
  });

  it("user create and user list, with clear errors for duplicates and bad roles", async () => {
    const created = await cli("user", "create", "--email", "Ops@Example.test", "--role", "support");
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(
      /created support ops@example.test\npassword \(shown once\): \S{16}/,
    );
    expect(
      await cli("user", "create", "--email", "ops@example.test", "--role", "admin"),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining("already exists") });
    expect(
      await cli("user", "create", "--email", "x@example.test", "--role", "owner"),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining("role") });
    expect((await cli("user", "list")).stdout).toMatch(/ops@example.test\s+SUPPORT\s+active/);
    expect(await db.user.count()).toBe(1);
  });

  it("app create and credential add store encrypted key material; bad material stores nothing", async () => {
    expect(
      await cli("app", "create", "--bundle-id", "com.example.cli", "--name", "CLI app"),
    ).toMatchObject({ code: 0 });
    const p8 = await cli(
      "credential",
      "add",
      "--app",
      "com.example.cli",
      "--p8",
      path.join(dir, "key.p8"),
      "--key-id",
      "CLIKEY0001",
      "--team-id",
      "CLITEAM001",
      "--environment",
      "both",
      "--endpoint",
      `127.0.0.1:${simulator.port}`,
      "--ca",
      path.join(dir, "ca.pem"),
    );
    expect(p8).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('added token key "Key CLIKEY0001" to com.example.cli (both)'),
    });
    const cert = createTestPushCertificate({
      ca: createTestClientCa(),
      bundleId: "com.example.cli",
      teamId: "CLITEAM001",
      passphrase: "pw",
    });
    writeFileSync(path.join(dir, "push.p12"), cert.p12);
    expect(
      await cli(
        "credential",
        "add",
        "--app",
        "com.example.cli",
        "--p12",
        path.join(dir, "push.p12"),
        "--passphrase",
        "wrong",
        "--environment",
        "production",
      ),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining("passphrase is wrong") });
    expect(
      await cli(
        "credential",
        "add",
        "--app",
        "com.example.cli",
        "--p12",
        path.join(dir, "push.p12"),
        "--passphrase",
        "pw",
        "--environment",
        "production",
      ),
    ).toMatchObject({ code: 0, stdout: expect.stringContaining("certificate valid until") });
    const rows = await db.credential.findMany({ orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => r.kind)).toEqual(["TOKEN", "CERTIFICATE"]);
    for (const row of rows) expect(row.secretEnc).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(rows[0].secretEnc).not.toContain("PRIVATE KEY");
  });

  it("send prints APNs' answer, and bench sends N distinct pushes with no errors", async () => {
    const auth = [
      "--p8",
      path.join(dir, "key.p8"),
      "--key-id",
      "CLIKEY0001",
      "--team-id",
      "CLITEAM001",
      "--endpoint",
      `127.0.0.1:${simulator.port}`,
      "--ca",
      path.join(dir, "ca.pem"),
    ];
    const sent = await cli(
      "send",
      "--token",
      "ef".repeat(32),
      "--topic",
      "com.example.cli",
      "--sandbox",
      "--title",
      "Hello",
      "--body",
      "From the CLI",
      ...auth,
    );
    expect(sent).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(sent.stdout)).toMatchObject({
      ok: true,
      status: 200,
      apnsUniqueId: expect.any(String),
    });
    simulator.markUnregistered("0f".repeat(32), 1_700_000_000_000);
    const gone = await cli(
      "send",
      "--token",
      "0f".repeat(32),
      "--topic",
      "com.example.cli",
      "--body",
      "x",
      ...auth,
    );
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.stdout)).toMatchObject({
      ok: false,
      status: 410,
      reason: "Unregistered",
      timestamp: 1_700_000_000_000,
    });
    const before = simulator.counts().accepted;
    const bench = await cli(
      "bench",
      "--topic",
      "com.example.cli",
      "--count",
      "500",
      "--json",
      ...auth,
    );
    expect(bench.code).toBe(0);
    expect(JSON.parse(bench.stdout)).toMatchObject({
      client: "pushdeck",
      n: 500,
      errors: 0,
      per_sec: expect.any(Number),
      rss_mb: expect.any(Number),
    });
    expect(simulator.counts().accepted - before).toBe(500);
  });
});
