// Starts Pushdeck for the e2e suite as a first-time user would: `npm start` with no configuration on
// a brand-new data folder (so SQLite and demo mode), on E2E_PORT.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dataDir = path.join(root, ".tmp/e2e-data");
rmSync(dataDir, { recursive: true, force: true });
const env = { ...process.env, PORT: process.env.E2E_PORT || "3100", PUSHDECK_DATA_DIR: dataDir };
for (const name of [
  "DATABASE_URL",
  "PUSHDECK_DEMO",
  "PUSHDECK_ADMIN_EMAIL",
  "PUSHDECK_ADMIN_PASSWORD",
  "AUTH_SECRET",
  "PUSHDECK_SECRET_KEY",
])
  delete env[name];
const server = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], {
  cwd: root,
  env,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
