// The server of `npm start` and `npm run dev`: Next.js for pages, actions and the API, behind one
// request edge (lib/http/edge.ts) that also answers the device-registration endpoints itself on a
// lean node:http path (lib/ingest; docs/decisions/0001-request-edge.md).
//
// Production (`npm start`): compiled at build time (scripts/build-server.mjs → .next/pushdeck/server.mjs)
// and run with plain node, on every core: the primary process runs start-up work (migrations, first
// admin, demo mode with its APNs simulator) once, then forks PUSHDECK_WEB_PROCESSES web processes
// (default: one per core, at most 4) that share the port. Everything they share lives in the database.
// Development (`npm run dev`, `--dev`): one process, Next in dev mode, the same edge and fast path.
import cluster from "node:cluster";
import { createServer } from "node:http";
import os from "node:os";
import next from "next";
import { bootstrap, listenAddress } from "@/lib/bootstrap";
import { createEdge } from "@/lib/http/edge";
import { FAST_ROUTES } from "@/lib/ingest/registration";

const dev = process.argv.includes("--dev");
// What `next dev` would set (a custom server sets it itself); `npm start` sets production.
if (dev) (process.env as Record<string, string>).NODE_ENV = "development";

function webProcessCount(): number {
  if (dev) return 1;
  const configured = Number(process.env.PUSHDECK_WEB_PROCESSES);
  if (Number.isInteger(configured) && configured > 0) return configured;

  return Math.min(4, Math.max(1, os.availableParallelism()));
}

async function serve(): Promise<void> {
  // After start-up: demo mode keeps to 127.0.0.1 unless HOSTNAME_BIND says otherwise.
  const { port, hostname } = listenAddress();
  const app = next({ dev, dir: process.cwd(), port, hostname });
  const handle = app.getRequestHandler();
  await app.prepare();
  const edge = createEdge({ next: handle, fastRoutes: FAST_ROUTES });
  const server = createServer(edge).on("checkContinue", edge);
  server.keepAliveTimeout = 65_000;
  server.listen(port, hostname, () => {
    if (cluster.isPrimary || cluster.worker?.id === 1)
      console.log(
        `[pushdeck] listening on http://${hostname}:${port}${dev ? " (development)" : ""}`,
      );
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      server.close();
      void app.close().finally(() => process.exit(0));
      setTimeout(() => process.exit(0), 5_000).unref();
    });
  }
}

async function primary(count: number): Promise<void> {
  let stopping = false;
  // Workers inherit what start-up decided (session secret, demo mode) and skip start-up themselves.
  const fork = () =>
    cluster.fork({
      PUSHDECK_BOOTSTRAPPED: "1",
      AUTH_SECRET: process.env.AUTH_SECRET,
      PUSHDECK_DEMO: process.env.PUSHDECK_DEMO,
    });
  for (let i = 0; i < count; i++) fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    console.error(
      `[pushdeck] web process ${worker.process.pid} exited (${signal ?? code}); starting another`,
    );
    setTimeout(fork, 1_000);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill(signal);
      setTimeout(() => process.exit(0), 6_000).unref();
      cluster.on("exit", () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      });
    });
  }
}

async function main(): Promise<void> {
  await bootstrap();
  const count = webProcessCount();
  if (cluster.isPrimary && count > 1) return primary(count);

  return serve();
}

main().catch((error: unknown) => {
  console.error("[pushdeck] failed to start:", error);
  process.exit(1);
});
