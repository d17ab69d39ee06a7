import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { freshDatabase } from "./registry-search";

/**
 * The HTTP half of `npm run bench:registry`: the real production server (`npm start`'s server.ts on the
 * existing build) on a fresh data folder and a fresh database (SQLite file or PostgreSQL database),
 * driven over loopback by autocannon.
 */
const BENCH_APP = "com.pushdeck.bench";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let counter = 0;
/** Random 32-byte tokens, as Apple issues them (random keys also make index inserts realistic). */
export function nextToken(): string {
  counter++;

  return randomBytes(32).toString("hex");
}

export type HttpServer = { url: string; key: string; stop(): Promise<void> };

export async function startServer(
  root: string,
  provider: "sqlite" | "postgresql" = "sqlite",
): Promise<HttpServer> {
  if (!existsSync(path.join(root, ".next/BUILD_ID")))
    throw new Error("No production build: run `npm run build` first.");
  const dir = mkdtempSync(path.join(tmpdir(), "pushdeck-bench-"));
  const database =
    provider === "sqlite"
      ? { url: `file:${path.join(dir, "pushdeck.db")}`, drop: async () => {} }
      : await freshDatabase("postgresql").then((d) => ({ url: d.config.url, drop: d.drop }));
  const env = {
    ...process.env,
    PUSHDECK_DATA_DIR: dir,
    DATABASE_URL: database.url,
    PUSHDECK_DEMO: "0",
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
  } as NodeJS.ProcessEnv;
  // Migrations, the app and the key come from the build's own CLI, so the database is exactly what
  // the server under test expects (not what the working tree's migrations say).
  const cli = (...args: string[]) =>
    execFileSync(
      process.execPath,
      ["--import", "tsx", path.join(root, "scripts/pushdeck.ts"), ...args],
      { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] },
    ).toString();
  cli("migrate");
  cli("app", "create", "--bundle-id", BENCH_APP, "--name", "Bench");
  const key = /pd_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}/.exec(
    cli("apikey", "create", "--name", "bench", "--scopes", "devices:write"),
  )?.[0];
  if (!key) throw new Error("pushdeck apikey create printed no key");
  const port = await freePort();
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  // The production server exactly as `npm start` runs it: server.ts (Next plus the registration fast
  // path) compiled by the build; builds from before that compile ran server.ts through tsx.
  const bundle = path.join(root, ".next/pushdeck/server.mjs");
  const server = existsSync(bundle)
    ? ["--enable-source-maps", bundle]
    : ["--import", "tsx", path.join(root, "server.ts")];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...server], {
    cwd: root,
    env: { ...env, PORT: String(port), HOSTNAME_BIND: "127.0.0.1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if (
      await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 300) throw new Error("server did not come up in 60 s");
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    key,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      await database.drop();
    },
  };
}

const deviceBody = () => ({
  app: BENCH_APP,
  token: nextToken(),
  environment: "production",
  userId: `user-${counter % 5000}`,
  locale: "en_US",
  appVersion: "3.1.0",
  osVersion: "18.2",
  model: "iPhone16,1",
});

/** Single registrations of distinct tokens → requests per second. */
export async function benchSingle(server: HttpServer, seconds: number, connections: number) {
  const result = await autocannon({
    url: `${server.url}/api/v1/devices`,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${server.key}` },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(deviceBody()) }),
      },
    ],
  });

  return {
    rps: result.requests.average,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

/**
 * Batches of 10,000 distinct devices → devices per second (bodies are built before the clock starts).
 * Plain fetch from `connections` concurrent senders: autocannon ends an `amount` run on its
 * one-second tick, which would round a 4-second run up to 5.
 */
export async function benchBatch(server: HttpServer, batches: number, connections: number) {
  const bodies = Array.from({ length: batches }, () =>
    JSON.stringify({ devices: Array.from({ length: 10_000 }, deviceBody) }),
  );
  const latencies: number[] = [];
  let next = 0;
  let non2xx = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let i = next++; i < batches; i = next++) {
        const sent = performance.now();
        const response = await fetch(`${server.url}/api/v1/devices/batch`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${server.key}` },
          body: bodies[i],
        });
        await response.arrayBuffer();
        if (response.status < 200 || response.status > 299) non2xx += 1;
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);

  return {
    devicesPerSecond: (batches * 10_000) / seconds,
    batches,
    non2xx,
    seconds,
    bodyMB: bodies[0].length / 1e6,
    p50: Math.round(latencies[Math.floor(latencies.length / 2)]),
  };
}

/** A static JSON route through the same server: what Next alone allows on this machine now. */
export async function benchStatic(server: HttpServer, seconds: number, connections: number) {
  await autocannon({ url: `${server.url}/api/v1/openapi.json`, connections, duration: 1 });
  const result = await autocannon({
    url: `${server.url}/api/v1/openapi.json`,
    connections,
    duration: seconds,
  });

  return { rps: result.requests.average, p50: result.latency.p50 };
}
