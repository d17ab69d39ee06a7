import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir, resolveDatabaseConfig } from "@/lib/db/config";
import { getDb } from "@/lib/db/client";
import { applyPendingMigrations } from "@/lib/db/schema-engine";
import { getAuthSecret } from "@/lib/secrets/data-secret";
import { ensureDemoAccounts, ensureFirstAdmin } from "./first-start";

export type BootstrapLog = (message: string) => void;

/**
 * Demo mode: PUSHDECK_DEMO=1 forces it, PUSHDECK_DEMO=0 forbids it; otherwise it is on when the
 * embedded SQLite database is created by a start with no configuration, and stays on for that data
 * folder (a marker file remembers it).
 */
function decideDemoMode(freshSqlite: boolean): boolean {
  const flag = process.env.PUSHDECK_DEMO;
  if (flag === "1" || flag === "true") return true;
  if (flag === "0" || flag === "false") return false;
  const marker = path.join(dataDir(), "demo-mode");
  if (existsSync(marker)) return true;
  const unconfigured = !process.env.PUSHDECK_ADMIN_EMAIL && !process.env.PUSHDECK_ADMIN_PASSWORD;
  if (freshSqlite && unconfigured) {
    writeFileSync(
      marker,
      "This data folder was created in demo mode. Delete this file to leave it.\n",
    );

    return true;
  }

  return false;
}

// On globalThis, not in this module: the production server (server.ts) and Next's bundle each load
// their own copy of this module, and start-up must still run once per process.
const globalForBootstrap = globalThis as unknown as { pushdeckBootstrap?: Promise<void> };

/** Start-up work of every server process: migrate, secrets, first admin, demo data. Runs once. */
export function bootstrap(
  log: BootstrapLog = (m) => console.log(`[pushdeck] ${m}`),
): Promise<void> {
  globalForBootstrap.pushdeckBootstrap ??= (async () => {
    // A web process forked by server.ts: its primary already did all of this.
    if (process.env.PUSHDECK_BOOTSTRAPPED === "1") return;
    const config = resolveDatabaseConfig();
    mkdirSync(dataDir(), { recursive: true });
    const freshSqlite = config.provider === "sqlite" && !existsSync(config.file);
    const applied = await applyPendingMigrations(config);
    if (applied.length)
      log(`applied ${applied.length} migration(s) on ${config.provider}: ${applied.join(", ")}`);
    process.env.AUTH_SECRET ||= getAuthSecret();
    const demo = decideDemoMode(freshSqlite);
    process.env.PUSHDECK_DEMO = demo ? "1" : "0";

    const db = getDb();
    const admin = await ensureFirstAdmin(db, {
      email: process.env.PUSHDECK_ADMIN_EMAIL,
      password: process.env.PUSHDECK_ADMIN_PASSWORD,
    });
    if (admin.created) {
      log(`created the first admin: ${admin.email}`);
      if (admin.generatedPassword)
        log(`  its generated password (shown once): ${admin.generatedPassword}`);
    }
    if (demo) {
      const created = await ensureDemoAccounts(db);
      if (created) log(`demo mode: created ${created} demo account(s) (password pushdeck-demo)`);
      const { setUpDemo } = await import("./demo");
      await setUpDemo(db, log);
    }
  })();

  return globalForBootstrap.pushdeckBootstrap;
}
