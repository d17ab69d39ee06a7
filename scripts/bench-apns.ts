// Throughput benchmark: Pushdeck's sender vs @parse/node-apn against the APNs simulator.
//   npx tsx scripts/bench-apns.ts [count=100000] [latencies=0,20] [senders=pushdeck,node-apn] [rounds=1]
//                                 [--faults] [--timeout SECONDS]
// With several rounds the senders alternate and the ratio compares medians, so a load that comes and
// goes on the machine falls on both.
// --faults runs the simulator with FAULT_PRESET (lib/apns/simulator/faults.ts: 503s, 429s, GOAWAYs,
// socket resets, stream limit dropped after rejections); the latencies argument still sets the
// latency (default: the preset's). --timeout (default 300 s) cuts a sender's run short and reports
// what had come back.
// Each run gets a fresh simulator in a child process and each sender its own child process,
// so neither shares an event loop with what it measures. Token auth, distinct device tokens;
// the simulator's counters confirm what was accepted and how often the same notification was, and
// its list of apns-ids accepted more than once is matched against the outcomes Pushdeck's sender
// flagged possibleDuplicate ("duplicates not flagged", which should be 0).

import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

import { FAULT_PRESET, describeFaults } from "@/lib/apns/simulator";

const { values: flags, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { faults: { type: "boolean" }, timeout: { type: "string" } },
  allowPositionals: true,
  strict: true,
});
const faults = flags.faults === true;
const count = Number(positionals[0] ?? 100_000);
const latencies = (positionals[1] ?? (faults ? String(FAULT_PRESET.latencyMs) : "0,20"))
  .split(",")
  .map(Number);
const senders = (positionals[2] ?? "pushdeck,node-apn").split(",");
const rounds = Math.max(1, Number(positionals[3] ?? 1));
const timeoutMs = Number(flags.timeout ?? 300) * 1000;
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
  possibleDuplicates: number | null;
  /** The apns-ids of those outcomes (lowercase); null for node-apn. */
  possibleDuplicateIds: string[] | null;
  deadlineExceeded: number;
  unresolved: number;
  timedOut: boolean;
  ms: number;
  perSecond: number;
  cpuUsPerNote: number;
  rssStartMb: number;
  rssPeakMb: number;
  rssEndMb: number;
};
type SimCounts = {
  accepted: number;
  acceptedTokens: number;
  byReason: Record<string, number>;
  connectionsOpened: number;
  connectionsBroken: number;
  goawaysSent: number;
  resetsDone: number;
  resetsAfterAccept: number;
  refusedStreams: number;
  streamLimitDrops: number;
};

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
      ...(faults ? ["--faults"] : []),
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
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: sim.caFile,
        BENCH_CA_PEM: caPem,
        BENCH_TIMEOUT_MS: String(timeoutMs),
      },
    },
  );
  // The worker reports on its own at the deadline; this only catches one that cannot.
  const backstop = setTimeout(() => child.kill("SIGKILL"), timeoutMs + 60_000);
  try {
    return JSON.parse(await firstLine(child)) as WorkerResult;
  } finally {
    clearTimeout(backstop);
  }
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

/**
 * "Every possible duplicate flagged": the apns-ids the simulator accepted more than once that the
 * sender did not flag possibleDuplicate (GET /duplicates; the simulator keeps the first 10,000).
 * Null for a sender without the flag (node-apn, which also sends no apns-id of its own).
 */
async function duplicatesNotFlagged(
  sim: SimulatorInfo,
  flagged: string[] | null,
): Promise<{ notFlagged: number; duplicated: number; checked: number } | null> {
  if (flagged === null) return null;
  const response = await fetch(`http://127.0.0.1:${sim.adminPort}/duplicates`);
  const page = (await response.json()) as { total: number; retained: number; ids: string[] };
  const flaggedSet = new Set(flagged);

  return {
    notFlagged: page.ids.filter((id) => !flaggedSet.has(id)).length,
    duplicated: page.total,
    checked: page.ids.length,
  };
}

const rows: Array<
  WorkerResult & {
    latencyMs: number;
    sim: SimCounts;
    simUsPerNote: number | null;
    duplicates: Awaited<ReturnType<typeof duplicatesNotFlagged>>;
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
        rows.push({
          ...result,
          latencyMs,
          sim: await simCounts(info),
          simUsPerNote,
          duplicates: await duplicatesNotFlagged(info, result.possibleDuplicateIds),
        });
        process.stderr.write(
          `${sender} @ ${latencyMs} ms: ${result.perSecond}/s, ${result.failed} failed` +
            `${result.timedOut ? `, timed out with ${result.unresolved} unresolved` : ""}\n`,
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
    `1-minute load ${loadAtStart.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`,
);
if (faults)
  console.log(
    `faults (FAULT_PRESET; latency from the latencies argument): ${describeFaults(FAULT_PRESET)}`,
  );
console.log("");
const columns: Array<[string, number, (r: (typeof rows)[number]) => string]> = [
  ["latency", 7, (r) => `${r.latencyMs} ms`],
  ["sender", 8, (r) => r.sender],
  ["per second", 10, (r) => String(r.perSecond)],
  ["seconds", 7, (r) => (r.ms / 1000).toFixed(2)],
  ["ok", 7, (r) => String(r.sent)],
  ["errors", 6, (r) => String(r.failed)],
  ["delivered", 9, (r) => String(r.sim.acceptedTokens)],
  ["flagged dup", 11, (r) => (r.possibleDuplicates === null ? "-" : String(r.possibleDuplicates))],
  ["dup accepts", 11, (r) => String(r.sim.accepted - r.sim.acceptedTokens)],
  ["conns opened/broken", 19, (r) => `${r.sim.connectionsOpened}/${r.sim.connectionsBroken}`],
  [
    "ratio",
    5,
    (r) =>
      r.sim.connectionsBroken === 0
        ? "-"
        : (r.sim.connectionsOpened / r.sim.connectionsBroken).toFixed(2),
  ],
  ["CPU µs/note client/sim", 22, (r) => `${r.cpuUsPerNote}/${r.simUsPerNote ?? "?"}`],
  ["RSS start/peak/end MB", 21, (r) => `${r.rssStartMb}/${r.rssPeakMb}/${r.rssEndMb}`],
];
console.log(columns.map(([title, width]) => title.padEnd(width)).join(" | "));
console.log(columns.map(([, width]) => "-".repeat(width)).join("-|-"));
for (const r of rows) {
  console.log(
    columns
      .map(([, width, cell], i) => (i < 2 ? cell(r).padEnd(width) : cell(r).padStart(width)))
      .join(" | "),
  );
  if (r.failed > 0) console.log(`        errors by reason: ${JSON.stringify(r.errors)}`);
  if (r.deadlineExceeded > 0) console.log(`        deadline exceeded: ${r.deadlineExceeded}`);
  const dup = r.duplicates;
  console.log(
    dup === null
      ? "        duplicates not flagged: -"
      : `        duplicates not flagged: ${dup.notFlagged} (of ${dup.duplicated} apns-ids accepted ` +
          `more than once${dup.checked < dup.duplicated ? `; the first ${dup.checked} checked` : ""})`,
  );
  if (r.timedOut)
    console.log(
      `        timed out after ${timeoutMs / 1000} s: ${r.unresolved} without an outcome`,
    );
  if (faults)
    console.log(
      `        simulator: answered ${JSON.stringify(r.sim.byReason)}, ${r.sim.goawaysSent} GOAWAYs, ` +
        `${r.sim.resetsDone} resets (${r.sim.resetsAfterAccept} after accepting), ` +
        `${r.sim.refusedStreams} streams refused after GOAWAY, stream limit dropped ${r.sim.streamLimitDrops}×`,
    );
}
console.log(
  "\nok/errors: the sender's outcomes; delivered: distinct notifications the simulator accepted; " +
    "flagged dup: outcomes marked possibleDuplicate; dup accepts: accepts beyond the first per " +
    "notification; duplicates not flagged: apns-ids the simulator accepted more than once whose " +
    "outcome was not marked possibleDuplicate (should be 0; - for node-apn); conns broken: connections the simulator ended (GOAWAY or socket reset); " +
    "ratio: opened / broken; CPU: user + system of the sender process over N\n",
);
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
