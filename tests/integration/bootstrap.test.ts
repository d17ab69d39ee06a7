import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { runBootstrap, type BootstrapResult } from "@/lib/bootstrap";
import { DEMO_ACCOUNTS, passwordFromFile } from "@/lib/bootstrap/first-start";
import type { Db } from "@/lib/db/client";
import { closeSql } from "@/lib/db/sql";
import { EnvError } from "@/lib/env";
import { SecretError } from "@/lib/secrets/data-secret";
import { createEmptyDatabase, testProvider } from "./helpers/test-database";

// Start-up as `npm start` runs it (runBootstrap, the body of bootstrap()), on a data folder and a
// database of this file's own. Each start reads the process environment afresh, like a new process.

type Slots = {
  pushdeckDb?: { db: Db };
  pushdeckDemoSimulator?: Promise<{ close(): Promise<void> }>;
};
const slots = globalThis as unknown as Slots;
const VARIABLES = [
  "DATABASE_URL",
  "PUSHDECK_DATA_DIR",
  "PUSHDECK_DEMO",
  "PUSHDECK_ADMIN_EMAIL",
  "PUSHDECK_ADMIN_PASSWORD",
  "AUTH_SECRET",
  "PUSHDECK_SECRET_KEY",
  "HOSTNAME_BIND",
  "PORT",
];
const sqlite = testProvider() === "sqlite";
const removals: (() => Promise<void>)[] = [];

async function closeDatabase() {
  await slots.pushdeckDb?.db.$disconnect();
  delete slots.pushdeckDb;
  await closeSql();
}

/** A data folder and an empty database (on PostgreSQL; on SQLite the start makes the file). */
async function freshInstall() {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "pushdeck-boot-")), "data");
  const env: Record<string, string> = { PUSHDECK_DATA_DIR: dir };
  if (!sqlite) {
    const database = await createEmptyDatabase();
    env.DATABASE_URL = database.config.url;
    removals.push(async () => database.remove());
  }
  removals.push(async () => rmSync(path.dirname(dir), { recursive: true, force: true }));

  return { dir, env };
}

async function start(
  env: Record<string, string>,
): Promise<BootstrapResult & { log: string[]; db: Db }> {
  await closeDatabase();
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
  const log: string[] = [];
  const result = await runBootstrap((message) => log.push(message));

  return { ...result, log, db: slots.pushdeckDb!.db };
}

const mode = (file: string) => statSync(file).mode & 0o777;

afterAll(async () => {
  await closeDatabase();
  await (await slots.pushdeckDemoSimulator)?.close();
  for (const remove of removals) await remove();
});

describe(`a fresh start on ${testProvider()}`, () => {
  let install: Awaited<ReturnType<typeof freshInstall>>;
  let first: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    install = await freshInstall();
    // With no configuration, SQLite starts in demo mode by itself; PostgreSQL is asked to.
    first = await start(sqlite ? install.env : { ...install.env, PUSHDECK_DEMO: "1" });
  }, 120_000);

  it("is in demo mode and says so loudly, with the address it keeps to", () => {
    expect(first.demo).toBe(true);
    expect(process.env.PUSHDECK_DEMO).toBe("1");
    const log = first.log.join("\n");
    expect(log).toContain("DEMO MODE");
    expect(log).toContain("Listening on 127.0.0.1:3000 only");
  });

  it("creates the admin, demo accounts, app and credential through the domain functions, audited as SYSTEM once", async () => {
    const audited = async (db: Db) =>
      (
        await db.auditLog.findMany({
          where: { action: { in: ["user.create", "app.create", "credential.add"] } },
          select: { action: true, actorType: true, actorLabel: true },
        })
      )
        .map((row) => `${row.action} ${row.actorType} ${row.actorLabel}`)
        .sort();
    const expected = [
      "app.create SYSTEM demo",
      "credential.add SYSTEM demo",
      "user.create SYSTEM demo",
      "user.create SYSTEM demo",
      "user.create SYSTEM demo",
      "user.create SYSTEM first-start",
    ];
    expect(await audited(first.db)).toEqual(expected);
    // A second start finds everything in place: nothing is created, hashed or audited again.
    const startedAt = performance.now();
    const again = await start({ ...install.env, PUSHDECK_DEMO: "1" });
    const ms = performance.now() - startedAt;
    console.log(`[bootstrap] second demo start on ${testProvider()}: ${ms.toFixed(0)} ms`);
    expect(await audited(again.db)).toEqual(expected);
    expect(again.log.join("\n")).not.toMatch(/created/);
  });

  it("writes the first admin's password to a 0600 file, and the log says where, never what", async () => {
    const file = path.join(install.dir, "initial-admin-password");
    expect(mode(file)).toBe(0o600);
    const password = passwordFromFile(readFileSync(file, "utf8"))!;
    expect(password).toMatch(/^\S{16}$/);
    const admin = await first.db.user.findUniqueOrThrow({
      where: { email: "admin@pushdeck.local" },
    });
    expect(await verifyPassword(admin.passwordHash, password)).toBe(true);
    const log = first.log.join("\n");
    expect(log).not.toContain(password);
    expect(log).toContain(`its generated password is in ${file}`);
  });

  it("keeps the data folder to this user: folder 0700, database, WAL and secrets 0600", () => {
    expect(mode(install.dir)).toBe(0o700);
    const files = ["auth-secret", "secret-key", "initial-admin-password"];
    // The marker of a data folder that started in demo mode by itself (PUSHDECK_DEMO=1 writes none).
    if (sqlite) files.push("demo-mode", "pushdeck.db", "pushdeck.db-wal", "pushdeck.db-shm");
    for (const name of files)
      expect([name, mode(path.join(install.dir, name))]).toEqual([name, 0o600]);
  });

  it("repairs a data folder and files that others can read", async () => {
    chmodSync(install.dir, 0o755);
    for (const name of ["auth-secret", "secret-key", "initial-admin-password"])
      chmodSync(path.join(install.dir, name), 0o644);
    if (sqlite) chmodSync(path.join(install.dir, "pushdeck.db"), 0o644);
    const again = await start({ ...install.env, PUSHDECK_DEMO: "1" });
    expect(mode(install.dir)).toBe(0o700);
    expect(mode(path.join(install.dir, "secret-key"))).toBe(0o600);
    expect(mode(path.join(install.dir, "initial-admin-password"))).toBe(0o600);
    if (sqlite) expect(mode(path.join(install.dir, "pushdeck.db"))).toBe(0o600);
    expect(again.log.join("\n")).toMatch(/restricted to this user: .*secret-key 0644 → 0600/);
  });

  it("PUSHDECK_DEMO=0 disables the demo accounts, keeps them and their history, for good", async () => {
    const before = await first.db.user.findMany({
      where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } },
    });
    expect(before.map((u) => u.disabled)).toEqual([false, false, false]);

    const off = await start({ ...install.env, PUSHDECK_DEMO: "0" });
    expect(off.demo).toBe(false);
    expect(process.env.PUSHDECK_DEMO).toBe("0");
    expect(off.log.join("\n")).toContain("disabled 3 demo account(s)");
    expect(off.log.join("\n")).not.toContain("DEMO MODE");
    const after = await off.db.user.findMany({
      where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } },
    });
    expect(after.map((u) => u.id).sort()).toEqual(before.map((u) => u.id).sort());
    for (const user of after) {
      expect(user.disabled).toBe(true);
      // Their open sessions end too (getActor compares sessionVersion).
      expect(user.sessionVersion).toBe(before.find((u) => u.id === user.id)!.sessionVersion + 1);
    }
    expect(
      await off.db.auditLog.count({ where: { action: "demo.accounts-disabled", success: true } }),
    ).toBe(1);
    expect(existsSync(path.join(install.dir, "demo-mode"))).toBe(false);

    // Without PUSHDECK_DEMO the folder stays out of demo mode; the accounts stay disabled.
    const later = await start(install.env);
    expect(later.demo).toBe(false);
    expect(await later.db.user.count({ where: { disabled: true } })).toBe(3);

    // Asked for again, demo mode enables them again.
    const on = await start({ ...install.env, PUSHDECK_DEMO: "1" });
    expect(on.log.join("\n")).toContain("enabled 3 demo account(s) again");
    expect(await on.db.user.count({ where: { disabled: true } })).toBe(0);
  }, 120_000);
});

describe(`a start that cannot be safe stops, saying why, on ${testProvider()}`, () => {
  it("an empty secret key file", async () => {
    const { dir, env } = await freshInstall();
    await start({ ...env, PUSHDECK_DEMO: "0" });
    writeFileSync(path.join(dir, "secret-key"), "");
    await expect(start({ ...env, PUSHDECK_DEMO: "0" })).rejects.toThrow(SecretError);
    await expect(start({ ...env, PUSHDECK_DEMO: "0" })).rejects.toThrow(
      /secret-key is empty .*PUSHDECK_SECRET_KEY/,
    );
  }, 60_000);

  it("a short AUTH_SECRET, or any bad variable, before touching the database", async () => {
    const { dir, env } = await freshInstall();
    await expect(start({ ...env, AUTH_SECRET: "changeme" })).rejects.toThrow(
      /AUTH_SECRET must be at least 32 characters, got 8/,
    );
    await expect(start({ ...env, PORT: "abc" })).rejects.toThrow(EnvError);
    expect(existsSync(path.join(dir, "pushdeck.db"))).toBe(false);
  });
});

describe(`a start with the admin's password given, on ${testProvider()}`, () => {
  it("writes no password file and logs no password", async () => {
    const { dir, env } = await freshInstall();
    const password = "correct horse battery staple";
    const started = await start({
      ...env,
      PUSHDECK_DEMO: "0",
      PUSHDECK_ADMIN_EMAIL: "owner@example.test",
      PUSHDECK_ADMIN_PASSWORD: password,
    });
    expect(existsSync(path.join(dir, "initial-admin-password"))).toBe(false);
    expect(started.log.join("\n")).toContain("created the first admin owner@example.test");
    expect(started.log.join("\n")).not.toContain(password);
  }, 60_000);
});
