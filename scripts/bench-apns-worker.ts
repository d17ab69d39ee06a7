// One side of scripts/bench-apns.ts, run in its own process so each sender has the event loop
// and heap to itself. Sends `count` notifications to distinct tokens and prints one JSON line:
// { sender, sent, failed, errors, possibleDuplicates, possibleDuplicateIds, deadlineExceeded,
//   unresolved, timedOut, ms, perSecond, cpuUsPerNote, rssStartMb, rssPeakMb, rssEndMb }.
//
//   node --import tsx scripts/bench-apns-worker.ts <pushdeck|node-apn> <port> <keyFile> <keyId> <teamId> <count>
// node-apn trusts the simulator's CA through NODE_EXTRA_CA_CERTS (set by the parent);
// Pushdeck's sender is given the CA explicitly (credential.caPem), as the app does.
// BENCH_TIMEOUT_MS (default 300000): past it, report what has come back so far (timedOut, unresolved).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { ApnsClient, buildNotification, type Notification } from "@/lib/apns";

const [sender, portText, keyFile, keyId, teamId, countText] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);
const keyPem = readFileSync(keyFile, "utf8");
const timeoutMs = Number(process.env.BENCH_TIMEOUT_MS ?? 300_000);
const BUNDLE = "com.example.bench";
const BATCH = 1000;

const token = (i: number) => (i + 1).toString(16).padStart(64, "0");

/** What has come back so far; read by the report, also when the deadline cuts the run short. */
const tally = {
  sent: 0,
  failed: 0,
  errors: {} as Record<string, number>,
  /** Outcomes flagged possibleDuplicate (Pushdeck only; node-apn has no such flag: null). */
  possibleDuplicates: null as number | null,
  /**
   * Their apns-ids, lowercase, for the parent to match against the simulator's duplicated ids.
   * The sender makes a UUID per notification when its headers have none (ApnsClient.send), sends
   * it, and reports it as outcome.apnsId (the simulator echoes it): no per-notification headers.
   */
  possibleDuplicateIds: null as string[] | null,
  /** Failures flagged deadlineExceeded (Pushdeck, when its sender reports it). */
  deadlineExceeded: 0,
};

function fail(reason: string): void {
  tally.failed++;
  tally.errors[reason] = (tally.errors[reason] ?? 0) + 1;
}

let rssPeak = 0;
// memoryUsage.rss() alone: the full memoryUsage() walks the heap spaces, which costs the sender being measured.
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 25);
const mb = (bytes: number) => Math.round(bytes / 1048576);

async function runPushdeck(): Promise<void> {
  const client = new ApnsClient({
    credential: {
      kind: "token",
      keyId,
      teamId,
      privateKeyPem: keyPem,
      endpoint: { host: "127.0.0.1", port },
      caPem: process.env.BENCH_CA_PEM,
    },
    environment: "sandbox",
    connections: Number(process.env.BENCH_CONNECTIONS ?? 2),
  });
  const built = buildNotification({
    pushType: "alert",
    bundleId: BUNDLE,
    aps: { alert: "Benchmark" },
  });
  // A generator: the million-token shape, nothing materialised up front.
  function* source(): Generator<Notification> {
    for (let i = 0; i < count; i++)
      yield { deviceToken: token(i), headers: built.headers, body: built.bytes };
  }
  tally.possibleDuplicates = 0;
  const flaggedIds: string[] = (tally.possibleDuplicateIds = []);
  const debug = process.env.BENCH_DEBUG
    ? setInterval(
        () => process.stderr.write(`${tally.sent} ${JSON.stringify(client.stats())}\n`),
        1000,
      )
    : null;
  for await (const { outcome } of client.sendMany(source(), {
    window: Number(process.env.BENCH_WINDOW ?? 2000),
  })) {
    if (outcome.possibleDuplicate) {
      tally.possibleDuplicates++;
      flaggedIds.push(outcome.apnsId.toLowerCase());
    }
    if (outcome.ok) tally.sent++;
    else {
      fail(outcome.reason);
      // Another change adds deadlineExceeded to failures; counted without depending on its type.
      if ("deadlineExceeded" in outcome && outcome.deadlineExceeded) tally.deadlineExceeded++;
    }
  }
  if (debug) clearInterval(debug);
  await client.close();
}

async function runNodeApn(): Promise<void> {
  const apn = createRequire(import.meta.url)("@parse/node-apn");
  const provider = new apn.Provider({
    token: { key: keyPem, keyId, teamId },
    production: false,
    address: "127.0.0.1",
    port,
  });
  const note = new apn.Notification();
  note.alert = "Benchmark";
  note.topic = BUNDLE;
  note.pushType = "alert";
  const record = (result: {
    sent: unknown[];
    failed: Array<{ response?: { reason?: string }; error?: Error; status?: number }>;
  }) => {
    tally.sent += result.sent.length;
    for (const f of result.failed)
      fail(f.response?.reason ?? f.error?.message ?? String(f.status ?? "unknown"));
  };
  // One notification first: APNs (and the simulator) allow one stream until the first success, and
  // node-apn does not resend the streams a server refuses, so a cold 1,000-token send loses ~99.
  record(await provider.send(note, [token(0)]));
  // node-apn's usual shape: send() calls of ~1,000 tokens, BENCH_NODE_APN_CONCURRENCY of them at a time.
  let next = 1;
  const lane = async () => {
    while (next < count) {
      const start = next;
      next = Math.min(count, start + BATCH);
      record(
        await provider.send(
          note,
          Array.from({ length: next - start }, (_, i) => token(start + i)),
        ),
      );
    }
  };
  await Promise.all(
    Array.from({ length: Number(process.env.BENCH_NODE_APN_CONCURRENCY ?? 1) }, lane),
  );
  await provider.shutdown();
}

const rssStart = process.memoryUsage().rss;
const cpuStart = process.cpuUsage();
const started = performance.now();

/** Prints the one JSON line and exits; `timedOut` when the deadline came first. */
function report(timedOut: boolean): never {
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  process.stdout.write(
    `${JSON.stringify({
      sender,
      ...tally,
      unresolved: count - tally.sent - tally.failed,
      timedOut,
      ms: Math.round(ms),
      perSecond: Math.round((tally.sent / ms) * 1000),
      // CPU (user + system) of this process per notification: the figure that decides throughput
      // on a busy machine.
      cpuUsPerNote: Math.round((cpu.user + cpu.system) / count),
      rssStartMb: mb(rssStart),
      rssPeakMb: mb(rssPeak),
      rssEndMb: mb(process.memoryUsage().rss),
    })}\n`,
  );
  process.exit(0);
}

setTimeout(() => report(true), timeoutMs);
await (sender === "node-apn" ? runNodeApn() : runPushdeck());
report(false);
