// `npm run bench:registry`: registration throughput through the production server, and search
// latency at 1,000,000 devices, each on SQLite and PostgreSQL side by side. Needs a reachable
// PostgreSQL (PGHOST/PGPORT/PGUSER, default 127.0.0.1:5432 postgres).
// The server runs a private build of the committed HEAD (scripts/bench/private-build.ts);
// --shared-build uses ./.next instead (needs `npx next build`). Options: --devices N (1000000)
// --queries N (200) --seconds N (10) --connections N (32) --batches N (20) --batch-connections N (4)
// --databases sqlite,postgresql --skip-http --skip-search
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchBatch, benchSingle, benchStatic, startServer } from "./bench/registry-http";
import { privateBuild } from "./bench/private-build";
import { benchSearch } from "./bench/registry-search";

const { values } = parseArgs({
  options: {
    devices: { type: "string", default: "1000000" },
    queries: { type: "string", default: "200" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    batches: { type: "string", default: "20" },
    // Several app backends posting batches at once, as in production; each web process then always
    // has a batch to parse while another holds SQLite's write lock.
    "batch-connections": { type: "string", default: "4" },
    databases: { type: "string", default: "sqlite,postgresql" },
    "skip-http": { type: "boolean" },
    "shared-build": { type: "boolean" },
    "skip-search": { type: "boolean" },
  },
});
const root = path.resolve(import.meta.dirname, "..");
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const rows: string[][] = [];
const databases = values.databases
  .split(",")
  .map((d) => d.trim())
  .filter((d): d is "sqlite" | "postgresql" => d === "sqlite" || d === "postgresql");
const label = (provider: "sqlite" | "postgresql") =>
  provider === "sqlite" ? "SQLite" : "PostgreSQL";
// The issue's targets (issue 10 for PostgreSQL).
const TARGETS = {
  sqlite: { single: "≥ 2,000 req/s", batch: "≥ 50,000 devices/s" },
  postgresql: { single: "≥ 2,000 req/s", batch: "≥ 30,000 devices/s" },
};

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}, node ${process.version}`,
);
if (!values["skip-http"]) {
  const serverRoot = values["shared-build"] ? root : privateBuild(root, console.log);
  let ceilingDone = false;
  for (const provider of databases) {
    const server = await startServer(serverRoot, provider);
    try {
      if (!ceilingDone) {
        // The ceiling: a static JSON route through the same server, no database, no auth.
        const ceiling = await benchStatic(
          server,
          Math.min(5, Number(values.seconds)),
          Number(values.connections),
        );
        rows.push([
          "—",
          "GET /api/v1/openapi.json (static, for scale)",
          `${fmt(ceiling.rps)} req/s`,
          `p50 ${ceiling.p50} ms`,
          "—",
        ]);
        ceilingDone = true;
      }
      await benchSingle(server, 2, Number(values.connections)); // warm-up: JIT, statement caches
      const single = await benchSingle(server, Number(values.seconds), Number(values.connections));
      rows.push([
        label(provider),
        `POST /api/v1/devices (distinct tokens, ${values.connections} clients)`,
        `${fmt(single.rps)} req/s`,
        `p50 ${single.p50} ms, p99 ${single.p99} ms, ${single.total} requests, non-2xx ${single.non2xx}, errors ${single.errors}`,
        TARGETS[provider].single,
      ]);
      const batch = await benchBatch(
        server,
        Number(values.batches),
        Number(values["batch-connections"]),
      );
      rows.push([
        label(provider),
        `POST /api/v1/devices/batch (10,000 each, ${values["batch-connections"]} clients)`,
        `${fmt(batch.devicesPerSecond)} devices/s`,
        `${batch.batches} batches in ${fmt(batch.seconds, 1)} s, ${fmt(batch.bodyMB, 1)} MB bodies, p50 ${batch.p50} ms, non-2xx ${batch.non2xx}`,
        TARGETS[provider].batch,
      ]);
    } finally {
      await server.stop();
    }
    console.log(`${provider}: registration done, load ${os.loadavg()[0].toFixed(1)}`);
  }
}
if (!values["skip-search"]) {
  for (const provider of databases) {
    const { seedSeconds, results } = await benchSearch(
      provider,
      Number(values.devices),
      Number(values.queries),
    );
    console.log(
      `${provider}: seeded ${fmt(Number(values.devices))} devices in ${fmt(seedSeconds, 1)} s`,
    );
    for (const r of results) {
      rows.push([
        label(provider),
        `search by ${r.search} @ ${fmt(Number(values.devices))}`,
        `p95 ${fmt(r.p95, 2)} ms`,
        `p50 ${fmt(r.p50, 2)} ms, max ${fmt(r.max, 1)} ms, ${fmt(r.rows, 1)} rows/page, ${values.queries} queries`,
        "p95 < 50 ms",
      ]);
    }
  }
}
const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((r) => r[c].length), 6));
console.log(
  `\n${rows.map((r) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(" | ")} |`).join("\n")}`,
);
process.exit(0);
