// `npm run pushdeck -- simulator` and the benchmarks start the simulator through runSimulatorCli:
// parse flags, start, print ONE JSON line {"port","adminPort","caFile",…} when ready, stop on signals.

import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

import { FAULT_PRESET } from "./faults";
import { startSimulator } from "./server";
import type { Simulator, SimulatorMode, SimulatorOptions } from "./types";

const FLAGS = {
  port: { type: "string" },
  "admin-port": { type: "string" },
  host: { type: "string" },
  mode: { type: "string" },
  latency: { type: "string" },
  "rate-429": { type: "string" },
  "rate-500": { type: "string" },
  "rate-503": { type: "string" },
  "rate-shutdown": { type: "string" },
  "goaway-after": { type: "string" },
  "goaway-every": { type: "string" },
  "reset-rate": { type: "string" },
  "idle-timeout": { type: "string" },
  "drop-streams-on-reject": { type: "boolean" },
  faults: { type: "boolean" },
  "max-streams": { type: "string" },
  seed: { type: "string" },
  "key-file": { type: "string" },
  "key-id": { type: "string" },
  "team-id": { type: "string" },
  "key-environment": { type: "string" },
  "ca-out": { type: "string" },
  cert: { type: "string" },
  key: { type: "string" },
  ca: { type: "string" },
  "client-ca": { type: "string", multiple: true },
} as const;

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`--${name} must be a number, got "${value}"`);

  return parsed;
}

/** Turns argv into SimulatorOptions plus the CLI-only --ca-out. Exported for tests. */
export function parseSimulatorArgs(argv: string[]): { options: SimulatorOptions; caOut?: string } {
  const { values: v } = parseArgs({
    args: argv,
    options: FLAGS,
    strict: true,
    allowPositionals: false,
  });
  const mode = (v.mode ?? "sandbox") as SimulatorMode;
  if (mode !== "sandbox" && mode !== "production")
    throw new Error(`--mode must be sandbox or production`);
  if ((v.cert === undefined) !== (v.key === undefined))
    throw new Error("--cert and --key go together");
  if (v["key-file"] && !(v["key-id"] && v["team-id"]))
    throw new Error("--key-file needs --key-id and --team-id");

  const given = Object.fromEntries(
    Object.entries({
      latencyMs: number(v.latency, "latency"),
      rate429: number(v["rate-429"], "rate-429"),
      rate500: number(v["rate-500"], "rate-500"),
      rate503: number(v["rate-503"], "rate-503"),
      rateShutdown: number(v["rate-shutdown"], "rate-shutdown"),
      goAwayAfterStreams: number(v["goaway-after"], "goaway-after"),
      goAwayEveryStreams: number(v["goaway-every"], "goaway-every"),
      resetRate: number(v["reset-rate"], "reset-rate"),
      idleTimeoutMs: number(v["idle-timeout"], "idle-timeout"),
      dropStreamsOnReject: v["drop-streams-on-reject"] ? 1 : undefined,
    }).filter(([, value]) => value !== undefined),
  );
  // --faults starts from the benchmarks' preset; a fault flag given as well overrides its value.
  const faults = { ...(v.faults ? FAULT_PRESET : {}), ...given };
  const options: SimulatorOptions = {
    port: number(v.port, "port") ?? 0,
    host: v.host,
    mode,
    adminPort: number(v["admin-port"], "admin-port"),
    maxConcurrentStreams: number(v["max-streams"], "max-streams"),
    seed: number(v.seed, "seed"),
    faults,
    clientCaPems: (v["client-ca"] ?? []).map((file) => readFileSync(file, "utf8")),
    tls: v.cert && v.key ? { certFile: v.cert, keyFile: v.key, caFile: v.ca } : undefined,
    keys: v["key-file"]
      ? [
          {
            keyId: v["key-id"]!,
            teamId: v["team-id"]!,
            privateKeyPem: readFileSync(v["key-file"], "utf8"), // a .p8 or a public key PEM both work
            environment: (v["key-environment"] as SimulatorMode | "both" | undefined) ?? "both",
          },
        ]
      : [],
  };

  return { options, caOut: v["ca-out"] };
}

/** Starts the simulator from argv and resolves once it has stopped (SIGINT/SIGTERM). */
export async function runSimulatorCli(argv: string[]): Promise<void> {
  const { options, caOut } = parseSimulatorArgs(argv);
  const simulator: Simulator = await startSimulator(options);
  const caFile = caOut ?? join(tmpdir(), `pushdeck-simulator-ca-${simulator.port}.pem`);
  writeFileSync(caFile, simulator.caPem);
  process.stdout.write(
    `${JSON.stringify({ port: simulator.port, adminPort: simulator.adminPort, caFile, host: simulator.host, mode: simulator.mode, url: simulator.url })}\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void simulator.close().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
