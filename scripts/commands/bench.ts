import { parseArgs } from "node:util";
import { ApnsClient } from "@/lib/apns/client";
import { buildNotification } from "@/lib/apns/payload";
import type { Notification } from "@/lib/apns/outcome";
import { CREDENTIAL_OPTIONS, credentialFromFlags } from "./apns-credential-args";
import { FileProviderTokenStore } from "./file-provider-token-store";
import type { Command } from "./types";

const USAGE = `usage: pushdeck bench --endpoint HOST:PORT --ca FILE --p8 FILE --key-id K --team-id T --topic BUNDLE
       --count N [--connections C] [--sandbox] [--json]`;

/** Distinct 32-byte tokens, made on demand so memory stays flat whatever N is. */
function* notifications(count: number, bundleId: string): Generator<Notification> {
  const { headers, bytes } = buildNotification({
    pushType: "alert",
    bundleId,
    aps: { alert: { title: "Bench", body: "Hello" } },
  });
  for (let i = 0; i < count; i++) {
    yield { deviceToken: i.toString(16).padStart(64, "0"), headers: { ...headers }, body: bytes };
  }
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
      sandbox: { type: "boolean" },
      json: { type: "boolean" },
    },
    strict: true,
  });
  const count = Number(values.count);
  if (!values.topic || !Number.isInteger(count) || count <= 0) {
    console.error(USAGE);

    return 2;
  }
  const client = new ApnsClient({
    credential: credentialFromFlags(values),
    environment: values.sandbox ? "sandbox" : "production",
    tokenStore: new FileProviderTokenStore(),
    connections: Number(values.connections ?? 4),
  });
  let errors = 0;
  let peakRss = process.memoryUsage().rss;
  const started = performance.now();
  let done = 0;
  for await (const { outcome } of client.sendMany(notifications(count, values.topic))) {
    if (!outcome.ok) errors += 1;
    if (++done % 5000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await client.close();
  const result = {
    client: "pushdeck",
    n: count,
    seconds: Number(seconds.toFixed(3)),
    per_sec: Math.round(count / seconds),
    errors,
    rss_mb: Math.round(peakRss / 1048576),
  };
  console.log(
    values.json
      ? JSON.stringify(result)
      : `${result.n} pushes in ${result.seconds}s: ${result.per_sec}/s, ${errors} errors, peak RSS ${result.rss_mb} MB`,
  );

  return errors ? 1 : 0;
};

export default bench;
