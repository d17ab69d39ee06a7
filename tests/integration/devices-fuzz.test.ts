import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as devices from "@/app/api/v1/devices/route";
import * as batch from "@/app/api/v1/devices/batch/route";
import {
  call,
  createApiHarness,
  MAIN_APP,
  randomToken,
  registrySnapshot,
  type ApiHarness,
} from "./helpers/api-harness";
import { testProvider } from "./helpers/test-database";
import { deviceRegistrationSchema } from "@/lib/validations/device";

/**
 * 5,000+ malformed bodies from a seeded PRNG: random types, huge strings, bad hex, odd lengths,
 * unicode, nested junk. None may cause a 5xx, and the registry must not change.
 */
const SEED = 0x5eed;
const BODIES = 5_000;

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const int = (max: number) => Math.floor(rand() * max);
const UNICODE = [
  "é",
  "ß",
  "🚀",
  "\u0000",
  "\u202e",
  "𝔘",
  "\ud800",
  "漢字",
  "\n",
  '\'; DROP TABLE "Device"; --',
  "%00",
  "\\",
];

function junk(depth = 0): unknown {
  switch (int(depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2:
      return pick([0, -1, 1e308, -0, 3.14, Number.MAX_SAFE_INTEGER]);
    case 3:
      return Array.from({ length: int(40) }, () => pick(UNICODE)).join("");
    case 4:
      return "f".repeat(pick([1, 63, 65, 199, 201, 5000, 70_000]));
    case 5:
      return pick(["", " ", "sandbox ", "PRODUCTION", "true", "null"]);
    case 6:
      return Array.from({ length: int(5) }, () => junk(depth + 1));
    case 7:
      return Object.fromEntries(
        Array.from({ length: int(5) }, (_, i) => [
          pick(["app", "token", "environment", "tags", "__proto__", "constructor", `k${i}`]),
          junk(depth + 1),
        ]),
      );
    default:
      return { nested: { deeper: [junk(depth + 1)] } };
  }
}

/** Almost-valid registrations broken in one or two ways, plus pure junk; never a valid one. */
function malformedDevice(): unknown {
  for (;;) {
    const body = candidate();
    const wire = JSON.parse(JSON.stringify(body) ?? "null");
    // A breaker can land on a valid value (junk() may return a fine string); such a body is not malformed.
    if (!(
      deviceRegistrationSchema.safeParse(wire).success &&
      (wire as { app?: unknown }).app === MAIN_APP
    ))
      return body;
  }
}

function candidate(): unknown {
  const good: Record<string, unknown> = {
    app: MAIN_APP,
    token: randomToken(32, rand),
    environment: pick(["sandbox", "production"]),
  };
  const breakers: (() => void)[] = [
    () => (good.token = randomToken(32, rand).slice(0, 63)), // odd length
    () => (good.token = randomToken(16, rand)), // too short
    () => (good.token = randomToken(101, rand)), // too long
    () => (good.token = randomToken(32, rand).replace(/[0-9]/, pick(["g", "z", " ", "é", "🚀"]))),
    () => (good.token = junk()),
    () => (good.environment = junk()),
    () => (good.app = pick(["", "com.unknown.app", "com example", junk()])),
    () => delete good[pick(["app", "token", "environment"])],
    () => (good[pick(["extra", "Token", "userid", "__proto__"])] = junk()),
    () =>
      (good[pick(["userId", "locale", "timeZone", "appVersion", "osVersion", "model"])] = pick([
        junk(),
        "x".repeat(300),
        "",
      ])),
    () =>
      (good.tags = pick([
        junk(),
        Array.from({ length: 40 }, () => "t"),
        ["x".repeat(65)],
        [""],
        "vip",
      ])),
    () =>
      (good.attributes = pick([
        junk(),
        { a: { b: { c: 1 } } },
        Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i])),
        { big: "x".repeat(5000) },
        [],
      ])),
  ];
  if (rand() < 0.1) return junk();
  pick(breakers)();
  if (rand() < 0.3) pick(breakers)();

  return good;
}

let h: ApiHarness;
let key: string;

beforeAll(async () => {
  h = await createApiHarness();
  key = await h.key(["devices:write"]);
  await call(devices.POST, {
    method: "POST",
    path: "/api/v1/devices",
    key,
    body: { app: MAIN_APP, token: randomToken(), environment: "sandbox", tags: ["seed"] },
  });
});
afterAll(() => h?.drop());

describe(`fuzzing the registration endpoints on ${testProvider()} (seed ${SEED})`, () => {
  it(`${BODIES} malformed bodies: no 5xx, registry unchanged`, async () => {
    const before = await registrySnapshot(h.t);
    const statuses = new Map<number, number>();
    for (let i = 0; i < BODIES; i++) {
      const kind = int(10);
      const res =
        kind === 0
          ? await call(devices.POST, {
              method: "POST",
              path: "/api/v1/devices",
              key,
              rawBody: JSON.stringify(malformedDevice()).slice(0, int(80)) || "{",
            })
          : kind === 1
            ? await call(batch.POST, {
                method: "POST",
                path: "/api/v1/devices/batch",
                key,
                body: pick([
                  { devices: Array.from({ length: 1 + int(5) }, malformedDevice) },
                  { devices: junk() },
                  junk(),
                ]),
              })
            : await call(devices.POST, {
                method: "POST",
                path: "/api/v1/devices",
                key,
                body: malformedDevice(),
              });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) throw new Error(`5xx for body #${i}: ${JSON.stringify(res.json)}`);
      if (res.status !== 200) expect(res.type).toBe("application/problem+json");
      if (res.status === 200) expect(res.json.summary.rejected).toBe(res.json.summary.received);
    }
    expect([...statuses.keys()].every((s) => [200, 400, 413, 422].includes(s))).toBe(true);
    expect(await registrySnapshot(h.t)).toBe(before);
  }, 240_000);
});
