// Counters (per status, reason, token, apns-id; duplicates), the recent ring, the JSON admin API,
// seeded fault reproducibility, and the CLI as a child process.

import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseSimulatorArgs } from "./cli";
import { Counters, DUPLICATE_IDS_IN_COUNTS, MAX_DUPLICATE_IDS } from "./counters";
import { FAULT_PRESET, mergeFaults, DEFAULT_FAULTS } from "./faults";
import { startSimulator } from "./index";
import { connectTo, createTestKey, nowSeconds, send, type TestKey } from "./test-helpers";
import type { RecentNotification, Simulator } from "./types";

let sim: Simulator;
let key: TestKey;
let jwt: string;
const token = (n: number) => n.toString(16).padStart(64, "0");

beforeAll(async () => {
  key = await createTestKey();
  sim = await startSimulator({ keys: [key], adminPort: 0, recentCapacity: 5 });
  jwt = await key.sign(nowSeconds());
});

afterAll(() => sim.close());

const admin = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`http://127.0.0.1:${sim.adminPort}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });

  return { status: response.status, json: await response.json() };
};

describe("counts", () => {
  it("counts per status, reason, token and apns-id, and detects duplicates", async () => {
    sim.resetCounts();
    const session = await connectTo(sim);
    const id = "00000000-0000-4000-8000-000000000001";
    await send(session, { jwt, token: token(1), headers: { "apns-id": id } });
    await send(session, { jwt, token: token(1), headers: { "apns-id": id } }); // a resend: duplicate
    await send(session, { jwt, token: token(2) });
    await send(session, { jwt, token: token(3), body: "" });
    await send(session, { token: token(3) });
    session.close();

    expect(sim.counts()).toMatchObject({
      received: 5,
      accepted: 3,
      byStatus: { "200": 3, "400": 1, "403": 1 },
      byReason: { PayloadEmpty: 1, MissingProviderToken: 1 },
      distinctTokens: 3,
      acceptedTokens: 2,
      duplicateTokens: 1,
      duplicates: 1,
      duplicateAccepts: 1,
    });
    expect(sim.tokenCounts(token(1))).toEqual({ received: 2, accepted: 2 });
    expect(sim.tokenCounts(token(3))).toEqual({ received: 2, accepted: 0 });

    const recent = sim.recent(3);
    expect(recent.map((r) => [r.token, r.status, r.reason])).toEqual([
      [token(3), 403, "MissingProviderToken"],
      [token(3), 400, "PayloadEmpty"],
      [token(2), 200, undefined],
    ]);
    expect(recent[2].payload).toBe('{"aps":{"alert":"hi"}}');
    expect(sim.recent(100)).toHaveLength(5); // bounded by recentCapacity
  });

  it("lists the apns-ids accepted more than once, in order, lowercase, bounded", async () => {
    sim.resetCounts();
    const session = await connectTo(sim);
    const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
    const upper = "ABCDEF00-0000-4000-8000-000000000001";
    for (const apnsId of [id(2), id(1), id(2), upper, id(1), id(3), upper.toLowerCase(), id(2)])
      expect((await send(session, { jwt, headers: { "apns-id": apnsId } })).status).toBe(200);
    await send(session, { jwt, headers: { "apns-id": id(3) }, body: "" }); // rejected: not accepted
    await send(session, { jwt }); // no apns-id: the simulator's own id is not tracked
    session.close();

    const duplicated = [id(2), id(1), upper.toLowerCase()];
    expect(sim.counts()).toMatchObject({
      accepted: 9,
      duplicates: 3,
      duplicateAccepts: 4,
      duplicateIds: duplicated,
    });
    expect(sim.duplicateIds()).toEqual({ total: 3, retained: 3, offset: 0, ids: duplicated });
    expect(sim.duplicateIds({ offset: 1, limit: 1 })).toEqual({
      total: 3,
      retained: 3,
      offset: 1,
      ids: [id(1)],
    });
    expect((await admin("GET", "/duplicates")).json).toEqual({
      total: 3,
      retained: 3,
      offset: 0,
      ids: duplicated,
    });
    expect((await admin("GET", "/duplicates?offset=2&limit=5")).json.ids).toEqual([
      upper.toLowerCase(),
    ]);
    sim.resetCounts();
    expect(sim.duplicateIds()).toEqual({ total: 0, retained: 0, offset: 0, ids: [] });
  });

  it("keeps the first MAX_DUPLICATE_IDS duplicated ids, counts() the first DUPLICATE_IDS_IN_COUNTS", () => {
    const counters = new Counters(0);
    const entry = (n: number): RecentNotification => ({
      at: 0,
      apnsId: `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`,
      token: "",
      topic: null,
      pushType: null,
      priority: null,
      status: 200,
      bytes: 0,
      payload: "",
    });
    const total = MAX_DUPLICATE_IDS + 5;
    for (let n = 0; n < total; n++) {
      counters.record(entry(n), null, true);
      counters.record(entry(n), null, true);
    }
    const page = counters.duplicateIds();
    expect([page.total, page.retained, page.ids.length]).toEqual([
      total,
      MAX_DUPLICATE_IDS,
      MAX_DUPLICATE_IDS,
    ]);
    expect(page.ids.at(-1)).toBe(entry(MAX_DUPLICATE_IDS - 1).apnsId);
    expect(counters.duplicateIds({ offset: MAX_DUPLICATE_IDS }).ids).toEqual([]);
    const counts = counters.counts();
    expect([counts.duplicates, counts.duplicateIds.length]).toEqual([
      total,
      DUPLICATE_IDS_IN_COUNTS,
    ]);
  });

  it("seeded faults are reproducible", async () => {
    const run = async () => {
      const seeded = await startSimulator({
        keys: [key],
        seed: 42,
        faults: { rate503: 0.3, rate429: 0.2 },
      });
      const session = await connectTo(seeded);
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++)
        statuses.push((await send(session, { jwt, token: token(i) })).status);
      session.close();
      await seeded.close();

      return statuses;
    };
    const first = await run();
    expect(first).toContain(503);
    expect(first).toContain(429);
    expect(await run()).toEqual(first);
  });
});

describe("admin API", () => {
  it("scripts tokens and faults and reads counts, recent and per-token counts", async () => {
    expect((await admin("POST", "/reset")).json).toEqual({ ok: true });
    await admin("POST", "/tokens/unregistered", { tokens: [token(10)], timestamp: 1234 });
    await admin("POST", "/tokens/expired", { tokens: [token(11)] });
    await admin("POST", "/tokens/bad", { token: token(12) });
    await admin("POST", "/tokens/topic", { tokens: [token(13)], topic: "com.example.other" });
    await admin("POST", "/tokens/too-many-requests", { tokens: [token(14)] });
    const other = await createTestKey("KEYADMIN01", "TEAMADMIN1");
    await admin("POST", "/keys", {
      keyId: other.keyId,
      teamId: other.teamId,
      privateKeyPem: other.privateKeyPem,
    });

    const session = await connectTo(sim);
    const reasons = [];
    for (const n of [10, 11, 12, 13, 14])
      reasons.push((await send(session, { jwt, token: token(n) })).json);
    expect(reasons).toEqual([
      { reason: "Unregistered", timestamp: 1234 },
      { reason: "ExpiredToken" },
      { reason: "BadDeviceToken" },
      { reason: "DeviceTokenNotForTopic" },
      { reason: "TooManyRequests" },
    ]);
    const otherSession = await connectTo(sim);
    expect(
      (await send(otherSession, { jwt: await other.sign(nowSeconds()), token: token(15) })).status,
    ).toBe(200);

    expect((await admin("POST", "/faults", { rate500: 1 })).json.rate500).toBe(1);
    expect(
      (await send(otherSession, { jwt: await other.sign(nowSeconds()), token: token(16) })).status,
    ).toBe(500);
    await admin("POST", "/faults", { rate500: 0 });
    session.close();
    otherSession.close();

    const counts = (await admin("GET", "/counts")).json;
    expect(counts).toMatchObject({
      received: 7,
      accepted: 1,
      byStatus: { "400": 2, "410": 2, "429": 1, "200": 1, "500": 1 },
    });
    expect(
      (await admin("GET", "/recent?limit=2")).json.map((r: { status: number }) => r.status),
    ).toEqual([500, 200]);
    expect(
      (await admin("POST", "/tokens/counts", { tokens: [token(15), token(99)] })).json,
    ).toEqual({
      [token(15)]: { received: 1, accepted: 1 },
      [token(99)]: { received: 0, accepted: 0 },
    });
    expect((await admin("POST", "/faults", { rate500: -1 })).status).toBe(400);
    expect((await admin("POST", "/faults", { dropStreamsOnReject: true })).json).toMatchObject({
      dropStreamsOnReject: 1,
    });
    expect((await admin("POST", "/faults", { dropStreamsOnReject: 2 })).status).toBe(400);
    expect((await admin("POST", "/faults", { dropStreamsOnReject: 0 })).json).toMatchObject({
      dropStreamsOnReject: 0,
    });
    expect((await admin("POST", "/faults", { goAwayEveryStreams: 2.5 })).status).toBe(400);
    expect((await admin("POST", "/faults", { goAwayEveryStreams: 5000 })).json).toMatchObject({
      goAwayEveryStreams: 5000,
    });
    await admin("POST", "/faults", { goAwayEveryStreams: 0 });
    expect((await admin("GET", "/counts")).json).toMatchObject({
      connectionsBroken: 0,
      streamLimitDrops: 0,
    });
    expect((await admin("GET", "/nope")).status).toBe(404);
  });
});

describe("CLI", () => {
  it("parses flags into options", () => {
    const { options, caOut } = parseSimulatorArgs([
      "--port",
      "2197",
      "--mode",
      "production",
      "--latency",
      "20",
      "--rate-503",
      "0.05",
      "--goaway-after",
      "5000",
      "--goaway-every",
      "300",
      "--ca-out",
      "/tmp/x.pem",
    ]);
    expect(options).toMatchObject({
      port: 2197,
      mode: "production",
      faults: { latencyMs: 20, rate503: 0.05, goAwayAfterStreams: 5000, goAwayEveryStreams: 300 },
    });
    expect(caOut).toBe("/tmp/x.pem");
    expect(() => parseSimulatorArgs(["--mode", "staging"])).toThrow();
    expect(parseSimulatorArgs(["--drop-streams-on-reject"]).options.faults).toEqual({
      dropStreamsOnReject: 1,
    });
  });

  it("--faults applies the benchmark preset; explicit fault flags override it", () => {
    expect(parseSimulatorArgs(["--faults"]).options.faults).toEqual(FAULT_PRESET);
    expect(FAULT_PRESET).toEqual({
      latencyMs: 5,
      dropStreamsOnReject: 1,
      rate503: 0.03,
      rate429: 0.01,
      goAwayEveryStreams: 5000,
      resetRate: 0.002,
    });
    expect(mergeFaults(DEFAULT_FAULTS, FAULT_PRESET).goAwayAfterStreams).toBe(0);
    expect(parseSimulatorArgs(["--faults", "--latency", "0"]).options.faults).toEqual({
      ...FAULT_PRESET,
      latencyMs: 0,
    });
  });

  it("runs as a child process, prints one JSON line, serves pushes and stops on SIGTERM", async () => {
    const keyFile = join(tmpdir(), `pushdeck-cli-key-${process.pid}.p8`);
    writeFileSync(keyFile, key.privateKeyPem);
    const caOut = join(tmpdir(), `pushdeck-cli-ca-${process.pid}.pem`);
    const cli = fileURLToPath(new URL("./run-cli.ts", import.meta.url));
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        cli,
        "--admin-port",
        "0",
        "--key-file",
        keyFile,
        "--key-id",
        key.keyId,
        "--team-id",
        key.teamId,
        "--ca-out",
        caOut,
      ],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout! }).once("line", resolve),
    );
    const ready = JSON.parse(line);
    expect(ready).toMatchObject({ caFile: caOut, mode: "sandbox" });
    const fake = {
      url: `https://127.0.0.1:${ready.port}`,
      caPem: readFileSync(caOut, "utf8"),
    } as Simulator;
    const session = await connectTo(fake);
    expect((await send(session, { jwt })).status).toBe(200);
    session.close();
    const counts = await (await fetch(`http://127.0.0.1:${ready.adminPort}/counts`)).json();
    expect(counts.accepted).toBe(1);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 30_000);
});
