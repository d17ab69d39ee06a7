// Connection-level behaviour: SETTINGS_MAX_CONCURRENT_STREAMS 1 until the first authenticated 200
// (and, with dropStreamsOnReject, after an injected rejection until the next 200),
// GOAWAY with a JSON reason after N streams (per connection or server-wide), abrupt resets and
// latency (docs/apns.md §3, §8, §11 item 4).

import { connect, type ClientHttp2Session } from "node:http2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { startSimulator } from "./index";
import { connectTo, createTestKey, nowSeconds, send, type TestKey } from "./test-helpers";
import type { Simulator } from "./types";

let sim: Simulator;
let key: TestKey;
let jwt: string;
const sessions: ClientHttp2Session[] = [];

beforeEach(async () => {
  key = await createTestKey();
  sim = await startSimulator({ keys: [key], maxConcurrentStreams: 7, seed: 7 });
  jwt = await key.sign(nowSeconds());
});

afterEach(async () => {
  sessions.splice(0).forEach((s) => s.destroy());
  await sim.close();
});

const outcome = (r: PromiseSettledResult<{ status: number }>) =>
  r.status === "fulfilled" ? r.value.status : (r.reason as { code: string }).code;

function nextSettings(session: ClientHttp2Session) {
  return new Promise<number | undefined>((resolve) =>
    session.once("remoteSettings", (s) => resolve(s.maxConcurrentStreams)),
  );
}

describe("max concurrent streams", () => {
  it("advertises 1 until the first authenticated success, then the configured limit", async () => {
    const session = connect(sim.url, { ca: sim.caPem, servername: "localhost" });
    sessions.push(session);
    expect(await nextSettings(session)).toBe(1);
    expect((await send(session, {})).status).toBe(403); // a rejected push does not raise the limit
    expect(session.remoteSettings.maxConcurrentStreams).toBe(1);
    const raised = nextSettings(session);
    expect((await send(session, { jwt })).status).toBe(200);
    expect(await raised).toBe(7);
  });

  it("refuses streams above the limit with REFUSED_STREAM (sent before the client saw SETTINGS)", async () => {
    const session = connect(sim.url, { ca: sim.caPem, servername: "localhost" });
    sessions.push(session);
    const results = await Promise.allSettled([1, 2, 3].map(() => send(session, { jwt })));
    expect(results.map(outcome)).toEqual([200, "ERR_HTTP2_STREAM_ERROR", "ERR_HTTP2_STREAM_ERROR"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain("REFUSED_STREAM");
  });
});

describe("dropStreamsOnReject", () => {
  /** A session that has seen the initial limit 1 and, after one 200, the configured 7. */
  async function raisedSession() {
    const session = connect(sim.url, { ca: sim.caPem, servername: "localhost" });
    sessions.push(session);
    session.on("error", () => {});
    expect(await nextSettings(session)).toBe(1);
    const raised = nextSettings(session);
    expect((await send(session, { jwt, token: "01".repeat(32) })).status).toBe(200);
    expect(await raised).toBe(7);

    return session;
  }

  it("drops the limit to 1 after an injected 503 and restores it after the next 200", async () => {
    sim.setFaults({ dropStreamsOnReject: 1 });
    const session = await raisedSession();

    sim.setFaults({ rate503: 1 });
    const dropped = nextSettings(session);
    const rejected = await send(session, { jwt });
    expect([rejected.status, rejected.json?.reason]).toEqual([503, "ServiceUnavailable"]);
    expect(await dropped).toBe(1);
    expect(session.remoteSettings.maxConcurrentStreams).toBe(1);

    sim.setFaults({ rate503: 0 });
    const restored = nextSettings(session);
    expect((await send(session, { jwt })).status).toBe(200);
    expect(await restored).toBe(7);
    expect(session.remoteSettings.maxConcurrentStreams).toBe(7);
    expect(sim.counts()).toMatchObject({ streamLimitDrops: 1, connectionsBroken: 0 });
  });

  it.each([
    ["rate429", 429, "TooManyRequests"],
    ["rate500", 500, "InternalServerError"],
    ["rateShutdown", 503, "Shutdown"],
  ] as const)("%s drops it too (%i %s)", async (fault, status, reason) => {
    sim.setFaults({ dropStreamsOnReject: 1 });
    const session = await raisedSession();
    sim.setFaults({ [fault]: 1 });
    const dropped = nextSettings(session);
    const rejected = await send(session, { jwt });
    expect([rejected.status, rejected.json?.reason]).toEqual([status, reason]);
    expect(await dropped).toBe(1);
  });

  it("leaves the limit alone for Apple's own rejections, and when the flag is off", async () => {
    sim.setFaults({ dropStreamsOnReject: 1 });
    const session = await raisedSession();
    expect((await send(session, { jwt, token: "xyz" })).status).toBe(400); // BadDeviceToken
    expect((await send(session, {})).status).toBe(403); // MissingProviderToken
    sim.setFaults({ dropStreamsOnReject: 0, rate503: 1 });
    expect((await send(session, { jwt })).status).toBe(503);
    await new Promise((r) => setTimeout(r, 20));
    expect(session.remoteSettings.maxConcurrentStreams).toBe(7);
    expect(sim.counts().streamLimitDrops).toBe(0);
  });

  it("survives rapid drop/restore flips with many streams in flight", async () => {
    sim.setFaults({ dropStreamsOnReject: 1 });
    const session = await raisedSession();
    sim.setFaults({ rate503: 0.5 });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        send(session, { jwt, token: (i + 2).toString(16).padStart(64, "0") }),
      ),
    );
    // Streams opened before the client read a drop are refused (REFUSED_STREAM), never lost.
    const seen = results.map(outcome);
    expect(seen.every((o) => o === 200 || o === 503 || o === "ERR_HTTP2_STREAM_ERROR")).toBe(true);
    expect(session.destroyed).toBe(false);
    const counts = sim.counts();
    expect(counts.streamLimitDrops).toBeGreaterThan(5);
    expect(counts.accepted).toBe(seen.filter((o) => o === 200).length + 1);
    expect(counts.connectionsBroken).toBe(0);
  });

  it("a reset breaks the connection: the next one starts at 1 again", async () => {
    sim.setFaults({ dropStreamsOnReject: 1 });
    const session = await raisedSession();
    sim.setFaults({ resetRate: 1 });
    expect((await Promise.allSettled([send(session, { jwt })]))[0].status).toBe("rejected");
    sim.setFaults({ resetRate: 0 });
    const fresh = connect(sim.url, { ca: sim.caPem, servername: "localhost" });
    sessions.push(fresh);
    expect(await nextSettings(fresh)).toBe(1);
    expect(sim.counts()).toMatchObject({ connectionsBroken: 1, resetsDone: 1 });
  });
});

describe("GOAWAY after N streams", () => {
  it("completes streams up to lastStreamId, refuses the rest, and carries {reason} debug data", async () => {
    sim.setFaults({ goAwayAfterStreams: 3 });
    const session = await connectTo(sim);
    sessions.push(session);
    const frames: { code: number; last: number; data?: string }[] = [];
    session.on("goaway", (code, last, data) => frames.push({ code, last, data: data?.toString() }));
    expect((await send(session, { jwt })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 20)); // let the raised limit arrive
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => send(session, { jwt })));
    expect(results.map(outcome)).toEqual([
      200,
      200,
      "ERR_HTTP2_STREAM_ERROR",
      "ERR_HTTP2_STREAM_ERROR",
    ]);
    expect(frames[0]).toEqual({ code: 0, last: 5, data: '{"reason":"Shutdown"}' });
    expect(sim.counts()).toMatchObject({ accepted: 3, goawaysSent: 1, connectionsBroken: 1 });

    const fresh = await connectTo(sim); // a new connection starts counting again
    sessions.push(fresh);
    expect((await send(fresh, { jwt })).status).toBe(200);
  });

  it("goAwayEveryStreams: every Nth stream of the server, on whichever connection carries it", async () => {
    sim.setFaults({ goAwayEveryStreams: 3 });
    const a = await connectTo(sim);
    const b = await connectTo(sim);
    sessions.push(a, b);
    const frames = new Map<ClientHttp2Session, { code: number; last: number; data?: string }[]>([
      [a, []],
      [b, []],
    ]);
    for (const session of [a, b])
      session.on("goaway", (code, last, data) =>
        frames.get(session)!.push({ code, last, data: data?.toString() }),
      );
    const goaway = (session: ClientHttp2Session) =>
      new Promise<void>((resolve) => session.once("goaway", () => resolve()));

    // Streams 1 and 2 of the server (a's 1, b's 1), then a's stream 3 is the server's 3rd.
    expect((await send(a, { jwt })).status).toBe(200);
    expect((await send(b, { jwt })).status).toBe(200);
    const aGone = goaway(a);
    expect((await send(a, { jwt })).status).toBe(200); // lastStreamId = this stream: answered
    await aGone;
    expect(frames.get(a)![0]).toEqual({ code: 0, last: 3, data: '{"reason":"Shutdown"}' });
    expect(frames.get(b)).toEqual([]);

    // The count starts again: b's streams 3 and 5 are the server's 1st and 2nd, 7 its 3rd.
    for (let i = 0; i < 2; i++) expect((await send(b, { jwt })).status).toBe(200);
    expect(frames.get(b)).toEqual([]);
    const bGone = goaway(b);
    expect((await send(b, { jwt })).status).toBe(200);
    await bGone;
    expect(frames.get(b)![0]).toEqual({ code: 0, last: 7, data: '{"reason":"Shutdown"}' });
    // a's GOAWAY came with its 2nd stream, b's with its 4th: the count is the server's, not a
    // connection's (goAwayAfterStreams: 3 would have sent none to a, and b's on stream 5).
    expect(sim.counts()).toMatchObject({ accepted: 6, goawaysSent: 2, connectionsBroken: 2 });
  });

  it("goAwayEveryStreams counts from when it is set", async () => {
    const session = await connectTo(sim);
    sessions.push(session);
    const frames: number[] = [];
    session.on("goaway", (_code, last) => frames.push(last));
    expect((await send(session, { jwt })).status).toBe(200); // before the fault: not counted
    sim.setFaults({ goAwayEveryStreams: 2 });
    expect((await send(session, { jwt })).status).toBe(200);
    sim.setFaults({ goAwayEveryStreams: 2 }); // set again: counting restarts
    await new Promise((r) => setTimeout(r, 20)); // let the raised limit arrive
    const gone = new Promise<void>((resolve) => session.once("goaway", () => resolve()));
    const results = await Promise.allSettled([1, 2, 3].map(() => send(session, { jwt })));
    await gone;
    // Streams 5 and 7 (the 2nd since the last set gets the GOAWAY), 9 refused.
    expect(results.map(outcome)).toEqual([200, 200, "ERR_HTTP2_STREAM_ERROR"]);
    expect(frames[0]).toBe(7); // (the bare GOAWAY at close repeats it)
    expect(sim.counts()).toMatchObject({ accepted: 4, goawaysSent: 1 });
  });

  it("503 Shutdown answers the stream and then sends GOAWAY", async () => {
    sim.setFaults({ rateShutdown: 1 });
    const session = await connectTo(sim);
    sessions.push(session);
    const goaway = new Promise<string | undefined>((resolve) =>
      session.once("goaway", (_c, _l, data) => resolve(data?.toString())),
    );
    const response = await send(session, { jwt });
    expect([response.status, response.json?.reason]).toEqual([503, "Shutdown"]);
    expect(await goaway).toBe('{"reason":"Shutdown"}');
  });

  it("after a 503 Shutdown, every stream the client saw refused was really not accepted", async () => {
    const session = await connectTo(sim);
    sessions.push(session);
    session.on("error", () => {});
    expect((await send(session, { jwt })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    sim.setFaults({ rateShutdown: 0.05 });
    const results = await Promise.allSettled(
      Array.from({ length: 7 * 6 }, (_, i) =>
        send(session, { jwt, token: (i + 1).toString(16).padStart(64, "0") }),
      ),
    );
    const seen200 = results.filter(
      (r) => r.status === "fulfilled" && r.value.status === 200,
    ).length;
    expect(results.some((r) => r.status === "fulfilled" && r.value.status === 503)).toBe(true);
    expect(sim.counts().accepted).toBe(seen200 + 1);
  });
});

describe("resets and latency", () => {
  it("resetRate destroys the connection without an answer and counts it", async () => {
    sim.setFaults({ resetRate: 1 });
    const session = await connectTo(sim);
    sessions.push(session);
    session.on("error", () => {});
    const result = await Promise.allSettled([send(session, { jwt })]);
    expect(result[0].status).toBe("rejected");
    const counts = sim.counts();
    expect(counts.resetsDone).toBe(1);
    expect(counts.connectionsBroken).toBe(1);
    expect(counts.accepted).toBe(counts.resetsAfterAccept);
    expect(counts.byStatus).toEqual({ "0": 1 });
  });

  it("latencyMs delays every answer", async () => {
    sim.setFaults({ latencyMs: 120 });
    const session = await connectTo(sim);
    sessions.push(session);
    const started = Date.now();
    expect((await send(session, { jwt })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it("IdleTimeout: GOAWAY with that reason on an idle connection", async () => {
    sim.setFaults({ idleTimeoutMs: 100 });
    const session = await connectTo(sim);
    sessions.push(session);
    const data = await new Promise<string | undefined>((resolve) =>
      session.once("goaway", (_c, _l, d) => resolve(d?.toString())),
    );
    expect(data).toBe('{"reason":"IdleTimeout"}');
  });
});
