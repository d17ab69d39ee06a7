// Throughput benchmark: Pushdeck's sender vs @parse/node-apn against the APNs simulator.
//   npx tsx scripts/bench-apns.ts [count=100000] [latencies=0,20] [senders=pushdeck,node-apn] [rounds=1]
// With several rounds the senders alternate and the ratio compares medians, so a load that comes and
// goes on the machine falls on both.
// Each run gets a fresh simulator in a child process and each sender its own child process,
// so neither shares an event loop with what it measures. Token auth, distinct device tokens;
// the simulator's counters confirm what was accepted and that nothing was accepted twice.

import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const count = Number(process.argv[2] ?? 100_000);
const latencies = (process.argv[3] ?? "0,20").split(",").map(Number);
const senders = (process.argv[4] ?? "pushdeck,node-apn").split(",");
const rounds = Math.max(1, Number(process.argv[5] ?? 1));
const KEY_ID = "BENCHKEY01";
const TEAM_ID = "BENCHTEAM1";
const root = join(import.meta.dirname, "..");
// Extra node flags for both children, e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
const dir = mkdtempSync(join(tmpdir(), "pushdeck-bench-"));
// Both senders and the simulator share this machine's cores: other load skews the figures.
const loadAtStart = loadavg()[0];
const keyFile = join(dir, "key.p8");
writeFileSync(
  keyFile,
  generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({
    type: "pkcs8",
    format: "pem",
  }),
);

type SimulatorInfo = { port: number; adminPort: number; caFile: string };
type WorkerResult = {
  sender: string;
  sent: number;
  failed: number;
  errors: Record<string, number>;
  ms: number;
  perSecond: number;
  cpuUsPerNote: number;
  rssStartMb: number;
  rssPeakMb: number;
  rssEndMb: number;
};
type SimCounts = { accepted: number; duplicateAccepts: number; connectionsOpened: number };

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      lines.close();
      resolve(line);
    });
    child.once("exit", (code) => reject(new Error(`child exited with ${code}`)));
  });
}

async function startSimulator(
  latencyMs: number,
): Promise<{ child: ChildProcess; info: SimulatorInfo }> {
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      "--import",
      "tsx",
      "lib/apns/simulator/run-cli.ts",
      "--port",
      "0",
      "--admin-port",
      "0",
      "--host",
      "127.0.0.1",
      "--latency",
      String(latencyMs),
      "--key-file",
      keyFile,
      "--key-id",
      KEY_ID,
      "--team-id",
      TEAM_ID,
      "--ca-out",
      join(dir, `ca-${latencyMs}-${Date.now()}.pem`),
    ],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );

  return { child, info: JSON.parse(await firstLine(child)) as SimulatorInfo };
}

async function runWorker(sender: string, sim: SimulatorInfo): Promise<WorkerResult> {
  const caPem = readFileSync(sim.caFile, "utf8");
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      "--import",
      "tsx",
      "scripts/bench-apns-worker.ts",
      sender,
      String(sim.port),
      keyFile,
      KEY_ID,
      TEAM_ID,
      String(count),
    ],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, NODE_EXTRA_CA_CERTS: sim.caFile, BENCH_CA_PEM: caPem },
    },
  );

  return JSON.parse(await firstLine(child)) as WorkerResult;
}

/** The simulator's CPU time so far (Linux /proc; null elsewhere), to report its cost per notification. */
function cpuMicros(child: ChildProcess): number | null {
  const file = `/proc/${child.pid}/stat`;
  if (!existsSync(file)) return null;
  const fields = readFileSync(file, "utf8").split(") ")[1].split(" ");

  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // utime + stime, in clock ticks (USER_HZ = 100)
}

async function simCounts(sim: SimulatorInfo): Promise<SimCounts> {
  const response = await fetch(`http://127.0.0.1:${sim.adminPort}/counts`);

  return (await response.json()) as SimCounts;
}

const rows: Array<
  WorkerResult & {
    latencyMs: number;
    accepted: number;
    duplicateAccepts: number;
    connections: number;
    simUsPerNote: number | null;
  }
> = [];
try {
  for (const latencyMs of latencies) {
    for (const sender of Array.from({ length: rounds }, () => senders).flat()) {
      const { child, info } = await startSimulator(latencyMs);
      try {
        const simCpuStart = cpuMicros(child);
        const result = await runWorker(sender, info);
        const simCpuEnd = cpuMicros(child);
        const simUsPerNote =
          simCpuStart === null || simCpuEnd === null
            ? null
            : Math.round((simCpuEnd - simCpuStart) / count);
        const counts = await simCounts(info);
        rows.push({
          ...result,
          latencyMs,
          accepted: counts.accepted,
          duplicateAccepts: counts.duplicateAccepts,
          connections: counts.connectionsOpened,
          simUsPerNote,
        });
        process.stderr.write(
          `${sender} @ ${latencyMs} ms: ${result.perSecond}/s, ${result.failed} failed\n`,
        );
      } finally {
        child.kill("SIGTERM");
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `\n${count.toLocaleString("en-US")} notifications per run, token auth, distinct tokens; ` +
    `${cpus().length} × ${cpus()[0]?.model}, node ${process.version}, ` +
    `1-minute load ${loadAtStart.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after\n`,
);
console.log(
  "latency | sender   | per second | seconds | sent    | errors | accepted | dup | conns | CPU µs/note client/sim | RSS start/peak/end MB",
);
console.log(
  "--------|----------|------------|---------|---------|--------|----------|-----|-------|------------------------|----------------------",
);
for (const r of rows) {
  console.log(
    [
      `${r.latencyMs} ms`.padEnd(7),
      r.sender.padEnd(8),
      String(r.perSecond).padStart(10),
      (r.ms / 1000).toFixed(2).padStart(7),
      String(r.sent).padStart(7),
      String(r.failed).padStart(6),
      String(r.accepted).padStart(8),
      String(r.duplicateAccepts).padStart(3),
      String(r.connections).padStart(5),
      `${r.cpuUsPerNote}/${r.simUsPerNote ?? "?"}`.padStart(22),
      `${r.rssStartMb}/${r.rssPeakMb}/${r.rssEndMb}`,
    ].join(" | "),
  );
  if (r.failed > 0) console.log(`        errors: ${JSON.stringify(r.errors)}`);
}
console.log("");
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);

  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
for (const latencyMs of latencies) {
  const perSecond = (sender: string) =>
    rows.filter((r) => r.latencyMs === latencyMs && r.sender === sender).map((r) => r.perSecond);
  const ours = perSecond("pushdeck");
  const theirs = perSecond("node-apn");
  if (ours.length > 0 && theirs.length > 0)
    console.log(
      `latency ${latencyMs} ms: Pushdeck / node-apn = ${(median(ours) / median(theirs)).toFixed(2)}x` +
        (rounds > 1
          ? ` (medians of ${rounds} alternating runs: ${median(ours)} vs ${median(theirs)}/s)`
          : ""),
    );
}
