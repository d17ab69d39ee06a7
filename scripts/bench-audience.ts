// `npm run bench:audience`: audience counts (countAudience, the composer's live count) over N
// devices on SQLite and PostgreSQL side by side. Needs a reachable PostgreSQL
// (PGHOST/PGPORT/PGUSER, default 127.0.0.1:5432 postgres). Options: --devices N (1000000)
// --queries N (100) --databases sqlite,postgresql
import os from "node:os";
import { parseArgs } from "node:util";
import { systemActor } from "@/lib/access/authorize";
import { countAudience, type AudienceTargetInput } from "@/lib/campaigns/audience";
import type { AudienceInput } from "@/lib/campaigns/audience-schema";
import { applyPendingMigrations } from "@/lib/db/schema-engine";
import { createSqlRunner, type SqlRunner } from "@/lib/db/sql";
import { freshDatabase } from "./bench/registry-search";

const { values } = parseArgs({
  options: {
    devices: { type: "string", default: "1000000" },
    queries: { type: "string", default: "100" },
    databases: { type: "string", default: "sqlite,postgresql" },
    // Keep the seeded databases (and print where they are) to study plans afterwards.
    keep: { type: "boolean" },
  },
});
const NOW = new Date("2026-11-28T00:00:00.000Z");
const SERIES = {
  sqlite: `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $1) SELECT i FROM s`,
  postgresql: `SELECT i::bigint AS i FROM generate_series(1, $1::int) AS i`,
};
// Scattered but repeatable: h(factor, k) spreads i over 0..k-1, independently of i's small
// residues (which pick the app, environment and status) and of the other columns' factors.
const h = (factor: number, k: number) => `(((i * ${factor}) % 4294967291) % ${k})`;
const LOCALES = ["en_US", "en_US", "en_US", "en_US", "en_US", "en_US", "en_GB", "en_GB"]
  .concat(["fr_FR", "fr_FR", "fr-CA", "de_DE", "de_DE", "es_ES", "es_MX", "ja_JP", "pt_BR"])
  .concat(["it_IT", "nl_NL", "zh-Hant-TW"]);
const ZONES = ["Europe/Paris", "America/New_York", "America/Los_Angeles", "Asia/Tokyo"];
// Token keys spread over the 52-bit keyspace; the token's last 51 digits are i, so tokens are unique.
const KEY = `((i * 2654435761) % 4503599627370449)`;
const pick = (list: string[], expr: string) =>
  `(CASE ${expr} ${list.map((v, n) => `WHEN ${n} THEN '${v}'`).join(" ")} END)`;

/**
 * One app holds 90% of the devices (another app the rest); 5% sandbox, 2% invalid; locales as in
 * LOCALES (35% en_US, 15% French), last registered spread evenly over 90 days; tags: newsletter
 * 40%, vip 10%, churn-risk 8%, beta 5%, scattered independently.
 */
async function seed(sql: SqlRunner, count: number) {
  const p = sql.provider;
  const cast = (type: string) => (p === "postgresql" ? `::"${type}"` : "");
  const stamp = (seconds: string) =>
    p === "sqlite"
      ? `strftime('%Y-%m-%dT%H:%M:%S.000+00:00', ${NOW.getTime() / 1000} - ${seconds}, 'unixepoch')`
      : `(timestamp '2026-11-28 00:00:00' - (${seconds}) * interval '1 second')`;
  const token =
    p === "sqlite"
      ? `printf('%013x', ${KEY}) || printf('%051x', i)`
      : `lpad(to_hex(${KEY}), 13, '0') || lpad(to_hex(i), 51, '0')`;
  const key = KEY;
  for (const [id, bundle] of [
    ["bench", "com.pushdeck.bench"],
    ["other", "com.pushdeck.other"],
  ])
    await sql.execute(
      `INSERT INTO "App" ("id", "name", "bundleId", "defaultEnvironment", "createdAt", "updatedAt") VALUES ($1, $1, $2, 'PRODUCTION', $3, $3)`,
      [id, bundle, NOW],
    );
  await sql.execute(
    `INSERT INTO "Device" ("appId", "environment", "token", "tokenKey", "userId", "locale", "timeZone", "appVersion", "osVersion", "status", "firstSeenAt", "lastRegisteredAt", "updatedAt", "registeredDay")
     SELECT (CASE WHEN i % 10 = 9 THEN 'other' ELSE 'bench' END), (CASE WHEN i % 20 = 0 THEN 'SANDBOX' ELSE 'PRODUCTION' END)${cast("Environment")},
            ${token}, ${key}, 'user-' || (i % ($1 / 2)), ${pick(LOCALES, h(7919, LOCALES.length))}, ${pick(ZONES, h(40503, ZONES.length))},
            '3.' || ${h(69069, 5)}, '17.' || ${h(48271, 6)}, (CASE WHEN i % 50 = 7 THEN 'INVALID' ELSE 'ACTIVE' END)${cast("DeviceStatus")},
            ${stamp(h(104729, 90 * 86400))}, ${stamp(h(104729, 90 * 86400))}, ${stamp("0")},
            (${NOW.getTime() / 1000} - ${h(104729, 90 * 86400)}) / 86400 FROM (${SERIES[p]}) AS series`,
    [count],
  );
  for (const [tag, factor, percent] of [
    ["newsletter", 16807, 40],
    ["vip", 1103515245, 10],
    ["churn-risk", 22695477, 8],
    ["beta", 134775813, 5],
  ] as const)
    await sql.execute(
      `INSERT INTO "DeviceTag" ("deviceId", "tag") SELECT "id", '${tag}' FROM "Device" WHERE ((CAST("id" AS BIGINT) * ${factor}) % 4294967291) % 100 < ${percent}`,
    );
  // PostgreSQL's autovacuum visits a table after this many inserts (and sets the visibility map
  // index-only scans rely on); the bench starts from that state rather than waiting for it.
  await sql.execute(p === "sqlite" ? "ANALYZE" : `VACUUM ANALYZE "Device", "DeviceTag"`);
}

const CASES: Record<string, AudienceInput> = {
  "tags any beta + locale fr + registered within 30 days": {
    tags: { any: ["beta"] },
    locales: ["fr"],
    registeredWithinDays: 30,
  },
  "tags any newsletter + locale en + within 7 days": {
    tags: { any: ["newsletter"] },
    locales: ["en"],
    registeredWithinDays: 7,
  },
  "all active devices": { all: true },
  "locale de (10%)": { locales: ["de"] },
  "tags all newsletter+vip, none churn-risk": {
    tags: { all: ["newsletter", "vip"], none: ["churn-risk"] },
  },
  "app 3.4 + iOS 17.5 + Europe/Paris": {
    appVersions: ["3.4"],
    osVersions: ["17.5"],
    timeZones: ["Europe/Paris"],
  },
};

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

async function bench(provider: "sqlite" | "postgresql", count: number, queries: number) {
  const fresh = await freshDatabase(provider);
  const out: string[][] = [];
  try {
    await applyPendingMigrations(fresh.config);
    const sql = createSqlRunner(fresh.config);
    let started = performance.now();
    await seed(sql, count);
    console.log(
      `${provider}: seeded ${fmt(count)} devices in ${fmt((performance.now() - started) / 1000, 1)} s`,
    );
    const sample = await sql.query<{ userId: string; token: string }>(
      `SELECT "userId", "token" FROM "Device" WHERE "appId" = 'bench' AND "id" % 97 = 1 LIMIT 10000`,
    );
    const cases: Record<string, AudienceInput> = {
      ...CASES,
      "10,000 pasted user ids": { userIds: sample.map((s) => s.userId) },
      "10,000 pasted tokens": { tokens: sample.map((s) => s.token) },
    };
    const actor = systemActor("bench");
    for (const [name, audience] of Object.entries(cases)) {
      const input: AudienceTargetInput = { appId: "bench", environment: "production", audience };
      const times: number[] = [];
      let result = 0;
      for (let i = 0; i < queries + 3; i++) {
        started = performance.now();
        result = (await countAudience(actor, input, { sql, now: NOW })).count;
        if (i >= 3) times.push(performance.now() - started); // 3 warm-up runs
      }
      times.sort((a, b) => a - b);
      out.push([
        provider,
        name,
        fmt(result),
        fmt(percentile(times, 0.5), 1),
        fmt(percentile(times, 0.95), 1),
      ]);
      console.log(out.at(-1)!.join(" | "), `(load ${load()})`);
    }
    await sql.close();
  } finally {
    if (values.keep) console.log(`${provider}: kept`, JSON.stringify(fresh.config));
    else await fresh.drop();
  }

  return out;
}

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, load ${load()}, node ${process.version}`,
);
const rows = [["database", "segment", "count", "p50 ms", "p95 ms"]];
for (const provider of values.databases.split(",").map((d) => d.trim()))
  if (provider === "sqlite" || provider === "postgresql")
    rows.push(...(await bench(provider, Number(values.devices), Number(values.queries))));
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log(
  `\nload ${load()}\n${rows.map((r) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(" | ")} |`).join("\n")}`,
);
process.exit(0);
