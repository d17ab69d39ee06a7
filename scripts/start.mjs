// `npm start`: builds when the build is missing or older than the sources (`next build`, then the
// server itself: scripts/build-server.mjs), then starts the compiled server on PORT (default 3000)
// with plain node. Migrations, the first admin and demo mode run inside the server at start
// (lib/bootstrap).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildServer, SERVER_BUNDLE } from "./build-server.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const next = path.join(root, "node_modules/next/dist/bin/next");
const SOURCES = [
  "app",
  "components",
  "config",
  "lib",
  "prisma",
  "public",
  "types",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "server.ts",
  "package-lock.json",
  "postcss.config.mjs",
  "scripts/build-server.mjs",
];

function newestMtime(entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  if (entry.endsWith("generated")) return 0;

  return readdirSync(full).reduce(
    (max, name) => Math.max(max, newestMtime(path.join(entry, name))),
    stat.mtimeMs,
  );
}

const buildId = path.join(root, ".next/BUILD_ID");
const sourcesMtime = Math.max(...SOURCES.map(newestMtime));
const stale = !existsSync(buildId) || sourcesMtime > statSync(buildId).mtimeMs;
if (stale) {
  console.log("[pushdeck] building (first start or sources changed)…");
  const build = spawnSync(process.execPath, [next, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
if (stale || !existsSync(SERVER_BUNDLE) || sourcesMtime > statSync(SERVER_BUNDLE).mtimeMs)
  await buildServer();
const port = process.env.PORT || "3000";
console.log(`[pushdeck] starting on http://localhost:${port}`);
// server.ts, compiled: Next.js plus the lean path for device registrations.
const server = spawn(process.execPath, ["--enable-source-maps", SERVER_BUNDLE], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PORT: port, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
