import { existsSync, statSync, unlinkSync } from "node:fs";
import path from "node:path";
import { dataDir, resolveDatabaseConfig, type DatabaseConfig } from "@/lib/db/config";
import { getDb } from "@/lib/db/client";
import { applyPendingMigrations } from "@/lib/db/schema-engine";
import { loadEnv, type Env } from "@/lib/env";
import { DATA_SECRETS, getAuthSecret, getSecretKeyMaterial } from "@/lib/secrets/data-secret";
import {
  createPrivateFile,
  ensurePrivateDir,
  formatMode,
  PRIVATE_FILE_MODE,
  stagePrivateFile,
  commitPrivateFile,
  tighten,
} from "@/lib/secrets/private-files";
import {
  ADMIN_PASSWORD_FILE,
  disableDemoAccounts,
  ensureDemoAccounts,
  ensureFirstAdmin,
} from "./first-start";
import { demoBanner } from "./mode";

export { demoBanner, isDemoMode, listenAddress, type ListenAddress } from "./mode";

export type BootstrapLog = (message: string) => void;

/** The data-folder file that keeps a folder in demo mode once a start put it there. */
export const DEMO_MARKER_FILE = "demo-mode";
/** Files of the data folder other than the database (the CLI keeps provider tokens there too). */
const DATA_FILES = [
  ...Object.keys(DATA_SECRETS),
  ADMIN_PASSWORD_FILE,
  DEMO_MARKER_FILE,
  "cli-provider-tokens.json",
];
const SQLITE_COMPANIONS = ["", "-wal", "-shm", "-journal"];

/** The data folder and the database location, from the checked configuration. */
function locations(config: Env): { dir: string; database: DatabaseConfig } {
  const source: NodeJS.ProcessEnv = {
    ...process.env,
    PUSHDECK_DATA_DIR: config.PUSHDECK_DATA_DIR,
    DATABASE_URL: config.DATABASE_URL,
  };

  return { dir: dataDir(source), database: resolveDatabaseConfig(source) };
}

/**
 * The data folder is 0700 and its files 0600 (the database and its WAL, the secrets, the admin's
 * password): made so at creation, and repaired here at every start for folders from older versions.
 * SQLite gives the -wal and -shm files it creates later the mode of the database file.
 */
function securePrivateFiles(dir: string, database: DatabaseConfig, log: BootstrapLog): void {
  const repaired: string[] = [];
  const note = (file: string, from: number | null, to: number) => {
    if (from !== null) repaired.push(`${file} ${formatMode(from)} → ${formatMode(to)}`);
  };
  const files = DATA_FILES.map((name) => path.join(dir, name));
  if (database.provider === "sqlite")
    files.push(...SQLITE_COMPANIONS.map((suffix) => `${database.file}${suffix}`));
  try {
    note(dir, ensurePrivateDir(dir).tightenedFrom, 0o700);
    for (const file of files) note(file, tighten(file, PRIVATE_FILE_MODE).tightenedFrom, 0o600);
  } catch (error) {
    // Another owner (a folder made by root, a mounted volume): say so, and let the owner fix it.
    log(
      `WARNING: could not restrict the data folder ${dir} to this user (${(error as Error).message}); ` +
        `run: chmod 700 '${dir}' && chmod 600 '${dir}'/*`,
    );
  }
  if (repaired.length) log(`restricted to this user: ${repaired.join(", ")}`);
}

/**
 * Demo mode: PUSHDECK_DEMO=1 forces it, PUSHDECK_DEMO=0 turns it off for good (the marker goes);
 * otherwise it is on when the embedded SQLite database is created by a start with no configuration,
 * and stays on for that data folder (a marker file remembers it).
 */
function decideDemoMode(
  config: Env,
  dir: string,
  freshSqlite: boolean,
  log: BootstrapLog,
): boolean {
  const marker = path.join(dir, DEMO_MARKER_FILE);
  if (config.PUSHDECK_DEMO === true) return true;
  if (config.PUSHDECK_DEMO === false) {
    if (existsSync(marker)) {
      unlinkSync(marker);
      log(`demo mode is off (PUSHDECK_DEMO=0): removed ${marker}`);
    }

    return false;
  }
  if (existsSync(marker)) return true;
  const unconfigured =
    !config.provided.has("PUSHDECK_ADMIN_EMAIL") && !config.provided.has("PUSHDECK_ADMIN_PASSWORD");
  if (freshSqlite && unconfigured) {
    commitPrivateFile(
      stagePrivateFile(
        marker,
        "This data folder was created in demo mode. Start with PUSHDECK_DEMO=0 (or delete this file) to leave it.\n",
      ),
      marker,
    );

    return true;
  }

  return false;
}

export type BootstrapResult = { demo: boolean; database: DatabaseConfig["provider"] };

/**
 * Start-up work of a server process: check the configuration, secure the data folder, migrate,
 * secrets, first admin, demo mode. Reads the process environment. `bootstrap()` runs it once per
 * process; tests call it directly.
 */
export async function runBootstrap(log: BootstrapLog): Promise<BootstrapResult> {
  const config = loadEnv();
  const { dir, database } = locations(config);
  ensurePrivateDir(dir);
  let freshSqlite = false;
  if (database.provider === "sqlite") {
    freshSqlite = !existsSync(database.file) || statSync(database.file).size === 0;
    // Created here, empty, as 0600 (SQLite takes an empty file as a new database), so that neither it
    // nor the -wal/-shm files SQLite derives from it are ever readable by others.
    createPrivateFile(database.file);
  }
  securePrivateFiles(dir, database, log);
  const applied = await applyPendingMigrations(database);
  if (applied.length)
    log(`applied ${applied.length} migration(s) on ${database.provider}: ${applied.join(", ")}`);
  // Both made now, in the one process that starts first, so forked web processes only read them.
  process.env.AUTH_SECRET ||= getAuthSecret();
  getSecretKeyMaterial();
  const demo = decideDemoMode(config, dir, freshSqlite, log);
  process.env.PUSHDECK_DEMO = demo ? "1" : "0";

  const db = getDb();
  const admin = await ensureFirstAdmin(db, {
    email: config.PUSHDECK_ADMIN_EMAIL,
    password: config.PUSHDECK_ADMIN_PASSWORD,
    passwordFile: path.join(dir, ADMIN_PASSWORD_FILE),
  });
  if (admin.created)
    log(
      admin.passwordFile
        ? `created the first admin ${admin.email}; its generated password is in ${admin.passwordFile} ` +
            `(readable only by this user): sign in, then delete the file`
        : `created the first admin ${admin.email} with the password PUSHDECK_ADMIN_PASSWORD gives`,
    );
  if (demo) {
    const accounts = await ensureDemoAccounts(db);
    if (accounts.created) log(`demo mode: created ${accounts.created} demo account(s)`);
    if (accounts.enabled) log(`demo mode: enabled ${accounts.enabled} demo account(s) again`);
    const { setUpDemo } = await import("./demo");
    await setUpDemo(db, log, config);
    for (const line of demoBanner(config)) log(line);
  } else {
    const disabled = await disableDemoAccounts(db);
    if (disabled)
      log(`demo mode is off: disabled ${disabled} demo account(s); their history stays`);
  }

  return { demo, database: database.provider };
}

// On globalThis, not in this module: the production server (server.ts) and Next's bundle each load
// their own copy of this module, and start-up must still run once per process.
const globalForBootstrap = globalThis as unknown as { pushdeckBootstrap?: Promise<void> };

/** Start-up work of every server process (runBootstrap). Runs once. */
export function bootstrap(
  log: BootstrapLog = (m) => console.log(`[pushdeck] ${m}`),
): Promise<void> {
  globalForBootstrap.pushdeckBootstrap ??= (async () => {
    // A web process forked by server.ts: its primary already did all of this.
    if (process.env.PUSHDECK_BOOTSTRAPPED === "1") {
      loadEnv();

      return;
    }
    await runBootstrap(log);
  })();

  return globalForBootstrap.pushdeckBootstrap;
}
