import { parseArgs } from "node:util";
import {
  APNS_TRANSPORTS,
  ApnsClient,
  buildNotification,
  isApnsTransport,
  type Notification,
} from "@/lib/apns";
import {
  FAULT_PRESET,
  type DuplicateIds,
  type SimulatorCounts,
  type SimulatorFaults,
} from "@/lib/apns/simulator";
import { CREDENTIAL_OPTIONS, credentialFromFlags } from "./apns-credential-args";
import { FileProviderTokenStore } from "./file-provider-token-store";
import type { Command } from "./types";

const USAGE = `usage: pushdeck bench --endpoint HOST:PORT --ca FILE --p8 FILE --key-id K --team-id T --topic BUNDLE [--transport native|node]
       --count N [--connections C] [--sandbox] [--json] [--admin HOST:PORT [--faults]]
  --admin   the endpoint is Pushdeck's simulator with this admin API: also report what it saw
            (delivered, duplicate accepts, duplicates the sender did not flag possibleDuplicate,
            connections opened and broken), from its counters before and after the run (keep
            other traffic off it meanwhile)
  --faults  set the simulator's faults to the benchmark preset (FAULT_PRESET) for the run, then
            restore the previous ones; needs --admin`;

/** Distinct 32-byte tokens, made on demand so memory stays flat whatever N is. */
function* notifications(count: number, bundleId: string): Generator<Notification> {
  const { headers, bytes } = buildNotification({
    pushType: "alert",
    bundleId,
    aps: { alert: { title: "Bench", body: "Hello" } },
  });
  // One headers object for the whole run, as a campaign shares one: the sender validates and
  // HPACK-encodes it once instead of once per notification.
  for (let i = 0; i < count; i++) {
    yield { deviceToken: i.toString(16).padStart(64, "0"), headers, body: bytes };
  }
}

/** The simulator's JSON admin API (lib/apns/simulator/README.md): "HOST:PORT", "PORT" or a URL. */
function adminApi(address: string) {
  const base = /^\d+$/.test(address)
    ? `http://127.0.0.1:${address}`
    : /^https?:\/\//.test(address)
      ? address.replace(/\/$/, "")
      : `http://${address}`;
  const call = async <T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`simulator admin ${method} ${path}: ${response.status}`);

    return (await response.json()) as T;
  };

  return {
    counts: () => call<SimulatorCounts>("GET", "/counts"),
    duplicateIds: (offset: number) => call<DuplicateIds>("GET", `/duplicates?offset=${offset}`),
    faults: () => call<SimulatorFaults>("GET", "/faults"),
    setFaults: (faults: Partial<SimulatorFaults>) => call("POST", "/faults", faults),
  };
}

/** Sends N pushes through the same path as every send (pool, retries, outcomes) and prints figures. */
const bench: Command = async (argv) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...CREDENTIAL_OPTIONS,
      topic: { type: "string" },
      count: { type: "string" },
      connections: { type: "string" },
      transport: { type: "string" },
      sandbox: { type: "boolean" },
      json: { type: "boolean" },
      admin: { type: "string" },
      faults: { type: "boolean" },
    },
    strict: true,
  });
  const count = Number(values.count);
  const transport = values.transport ?? "native";
  if (!isApnsTransport(transport)) {
    console.error(`--transport must be one of: ${APNS_TRANSPORTS.join(", ")}`);

    return 2;
  }
  if (values.faults && !values.admin)
    console.error("--faults sets the simulator's faults through its admin API: give --admin too");
  if (!values.topic || !Number.isInteger(count) || count <= 0 || (values.faults && !values.admin)) {
    console.error(USAGE);

    return 2;
  }
  const admin = values.admin ? adminApi(values.admin) : null;
  const previousFaults = admin && values.faults ? await admin.faults() : null;
  if (admin && values.faults) await admin.setFaults(FAULT_PRESET);
  const before = admin ? await admin.counts() : null;

  const client = new ApnsClient({
    credential: credentialFromFlags(values),
    environment: values.sandbox ? "sandbox" : "production",
    transport,
    tokenStore: new FileProviderTokenStore(),
    connections: Number(values.connections ?? 4),
  });
  let errors = 0;
  const errorsByReason: Record<string, number> = {};
  let possibleDuplicates = 0;
  /** apns-ids of the outcomes flagged possibleDuplicate (the sender's own per-send UUIDs). */
  const flaggedIds = new Set<string>();
  let deadlineExceeded = 0;
  let peakRss = process.memoryUsage().rss;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  let done = 0;
  try {
    for await (const { outcome } of client.sendMany(notifications(count, values.topic))) {
      if (outcome.possibleDuplicate) {
        possibleDuplicates += 1;
        flaggedIds.add(outcome.apnsId.toLowerCase());
      }
      if (!outcome.ok) {
        errors += 1;
        errorsByReason[outcome.reason] = (errorsByReason[outcome.reason] ?? 0) + 1;
        // Counted when the sender reports it, without depending on the field's type.
        if ("deadlineExceeded" in outcome && outcome.deadlineExceeded) deadlineExceeded += 1;
      }
      if (++done % 5000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
  } finally {
    if (previousFaults) await admin!.setFaults(previousFaults);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await client.close();
  const after = admin ? await admin.counts() : null;
  const delta = (
    key: "accepted" | "duplicateAccepts" | "connectionsOpened" | "connectionsBroken",
  ) => after![key] - before![key];
  // The apns-ids that became duplicates during the run follow the earlier ones in the simulator's
  // list (which keeps the first 10,000): match them against the outcomes flagged possibleDuplicate.
  const newDuplicates =
    after && after.duplicates > before!.duplicates
      ? (await admin!.duplicateIds(before!.duplicates)).ids
      : [];
  // Every notification carries its own apns-id, so the simulator's per-id count is exact.
  const simulator = after && {
    delivered: delta("accepted") - delta("duplicateAccepts"),
    duplicate_accepts: delta("duplicateAccepts"),
    duplicated_ids: after.duplicates - before!.duplicates,
    duplicates_checked: newDuplicates.length,
    duplicates_not_flagged: newDuplicates.filter((id) => !flaggedIds.has(id)).length,
    connections_opened: delta("connectionsOpened"),
    connections_broken: delta("connectionsBroken"),
    opened_per_broken:
      delta("connectionsBroken") === 0
        ? null
        : Number((delta("connectionsOpened") / delta("connectionsBroken")).toFixed(2)),
  };
  const result = {
    client: "pushdeck",
    transport,
    n: count,
    seconds: Number(seconds.toFixed(3)),
    per_sec: Math.round(count / seconds),
    errors,
    errors_by_reason: errorsByReason,
    possible_duplicates: possibleDuplicates,
    deadline_exceeded: deadlineExceeded,
    cpu_us_per_note: Math.round((cpu.user + cpu.system) / count),
    rss_mb: Math.round(peakRss / 1048576),
    ...(values.faults ? { faults: FAULT_PRESET } : {}),
    ...(simulator ? { simulator } : {}),
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(
      `${result.n} pushes in ${result.seconds}s: ${result.per_sec}/s, ${errors} errors, ` +
        `${possibleDuplicates} flagged possible duplicates, ${result.cpu_us_per_note} CPU µs/push, ` +
        `peak RSS ${result.rss_mb} MB`,
    );
    if (errors > 0)
      console.log(
        `errors by reason: ${JSON.stringify(errorsByReason)}` +
          (deadlineExceeded > 0 ? `, ${deadlineExceeded} past their deadline` : ""),
      );
    if (simulator)
      console.log(
        `simulator${values.faults ? " (FAULT_PRESET)" : ""}: ${simulator.delivered} delivered, ` +
          `${simulator.duplicate_accepts} duplicate accepts, duplicates not flagged: ` +
          `${simulator.duplicates_not_flagged} (of ${simulator.duplicated_ids} apns-ids` +
          (simulator.duplicates_checked < simulator.duplicated_ids
            ? `; ${simulator.duplicates_checked} checked), `
            : "), ") +
          `connections ${simulator.connections_opened} ` +
          `opened / ${simulator.connections_broken} broken by the server` +
          (simulator.opened_per_broken === null ? "" : ` (${simulator.opened_per_broken})`),
      );
  }

  return errors ? 1 : 0;
};

export default bench;
