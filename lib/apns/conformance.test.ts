// RFC 9113 conformance of our HTTP/2 client (connection.ts) against a scripted server that sends
// exactly the frames each row describes (h2/scripted-peer.ts). Each row is one server behaviour and
// what must come of it: the connection's state, its connectError and goaway, the GOAWAY and
// RST_STREAM frames the client sends, and each request's RawResult. Whatever the row, nothing
// hangs: every request settles once, within its timeout plus a margin, and the connection ends up
// closed or usable (a ready connection must still answer a fresh request).
// Rows keep the RFC's expectation even where the client does not meet it yet.

import { afterEach, describe, expect, it } from "vitest";

import type { ApnsRequest, RawResult } from "./connection";
import { ERROR_CODE, FLAG, FRAME, SETTING } from "./h2/frames";
import {
  ScriptedPeer,
  TestClient,
  frame,
  frameHeader,
  goawayFrame,
  indexedField,
  leadingTableSizeUpdates,
  literalField,
  pingFrame,
  responseBlock,
  rstStreamFrame,
  settingsFrame,
  settingsPayload,
  statusField,
  u32,
  windowUpdateFrame,
  within,
  type PeerSession,
  type SentRequest,
  type SettingsEntries,
} from "./h2/scripted-peer";
import type { ConnectionState, GoawayInfo } from "./transport";

const { NO_ERROR, PROTOCOL_ERROR, FLOW_CONTROL_ERROR, FRAME_SIZE_ERROR, COMPRESSION_ERROR } =
  ERROR_CODE;
const { REFUSED_STREAM, CANCEL, INTERNAL_ERROR, STREAM_CLOSED } = ERROR_CODE;
const { END_STREAM, END_HEADERS, PADDED, PRIORITY, ACK } = FLAG;
const MAX_WINDOW = 2 ** 31 - 1;
/** How late past its timeout a request may settle (the deadline sweep runs every timeout/10). */
const MARGIN_MS = 500;
const DEFAULT_SETTINGS: SettingsEntries = [[SETTING.MAX_CONCURRENT_STREAMS, 100]];

const OK = { kind: "response", status: 200 };
const LOST = { kind: "failure", reason: "ConnectionLost" };
const REFUSED = { kind: "failure", reason: "Refused" };
const TIMEOUT = { kind: "failure", reason: "Timeout" };
const NOT_SENT = { kind: "failure", reason: "NotSent" };

const cleanup: (() => unknown)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type RequestSpec = {
  body?: number | Uint8Array;
  timeoutMs?: number;
  request?: Partial<ApnsRequest>;
};

type Ctx = {
  peer: PeerSession;
  client: TestClient;
  /** Every request of the row, in the order sent (streams 1, 3, 5, …). */
  sent: SentRequest[];
  send(spec?: RequestSpec): SentRequest;
};

type Expected = {
  /** The connection once the scenario is over: closed, or still ready (and usable). */
  state: "closed" | "ready";
  /** The error code of the GOAWAY the client sends (none at all when the state is "ready"). */
  goawayCode?: number;
  /** The client's RST_STREAM frames, [stream, code] (default: none). */
  resets?: [number, number][];
  /** Each request's result (matched as a subset). */
  results: object[];
  connectError?: object | null;
  goaway?: GoawayInfo | null;
};

type Row = {
  section: string;
  name: string;
  /** The server's opening SETTINGS (default: MAX_CONCURRENT_STREAMS 100); null sends none. */
  settings?: SettingsEntries | null;
  /** Whether the server acknowledges the client's SETTINGS (default true). */
  ackSettings?: boolean;
  /** "script": the row drives the handshake itself (no waiting for ready, no requests sent). */
  handshake?: "script";
  /** Requests sent once the connection is ready (default: one, body "{}"). */
  requests?: RequestSpec[];
  connectTimeoutMs?: number;
  script: (ctx: Ctx) => Promise<void>;
  /** What must come of it; a function where more than one outcome is right (e.g. floods). */
  expect: Expected | ((state: ConnectionState) => Expected);
  /** Send nothing after the script (a PING inside an open header block would itself be an error). */
  quiet?: boolean;
  /** Row-specific checks after the common ones. */
  check?: (ctx: Ctx) => void | Promise<void>;
};

function bodyOf(spec: RequestSpec): Uint8Array {
  if (typeof spec.body === "number") return Buffer.alloc(spec.body, 0x61);

  return spec.body ?? Buffer.from("{}");
}

/** A result as the table compares it (the error object left out). */
function summary(result: RawResult | "hung"): Record<string, unknown> {
  if (result === "hung") return { kind: "hung" };
  if (result.kind === "response") {
    const { kind, status, apnsId, body } = result;

    return { kind, status, apnsId, body };
  }

  return { kind: result.kind, reason: result.reason, goaway: result.goaway };
}

async function runRow(row: Row): Promise<void> {
  const peer = await ScriptedPeer.start({
    settings: row.settings === undefined ? DEFAULT_SETTINGS : row.settings,
    ackSettings: row.ackSettings,
  });
  cleanup.push(() => peer.close());
  const session = peer.nextSession();
  const client = new TestClient(peer, { connectTimeoutMs: row.connectTimeoutMs ?? 3000 });
  cleanup.push(() => client.close());
  const sent: SentRequest[] = [];
  const ctx: Ctx = {
    peer: await session,
    client,
    sent,
    send(spec = {}) {
      const request = client.send(spec.request, bodyOf(spec), spec.timeoutMs ?? 1000);
      sent.push(request);

      return request;
    },
  };
  if (row.handshake !== "script") {
    expect(await client.opened(), "the connection becomes ready").toBe(true);
    for (const spec of row.requests ?? [{}]) ctx.send(spec);
  }
  await row.script(ctx);

  const { connection } = client;
  const want = typeof row.expect === "function" ? row.expect(connection.state) : row.expect;
  if (want.state === "closed" && !ctx.peer.closed && !row.quiet) {
    // Once the client has answered a PING sent after everything else, it has reacted to all of it.
    await ctx.peer.barrier(1000).catch(() => {});
  }
  const closing = ctx.peer.closed || connection.state === "closed";
  if (want.state === "closed") {
    await client.until(() => connection.state === "closed", closing ? 1000 : 50).catch(() => {});
  }
  // Nothing hangs: every request settles exactly once, within its timeout and a margin.
  const results = await Promise.all(
    sent.map((s) =>
      within(
        s.result,
        Math.max(0, s.startedAt + s.timeoutMs + MARGIN_MS - Date.now()),
        "hung" as const,
      ),
    ),
  );
  await sleep(5);
  const settledBadly = sent
    .map((s, i) => ({
      i,
      calls: s.calls,
      ms: s.settledAt === null ? null : s.settledAt - s.startedAt,
    }))
    .filter(({ calls, ms }, i) => calls !== 1 || ms === null || ms > sent[i].timeoutMs + MARGIN_MS);
  if (want.state === "closed") {
    await ctx.peer.closedWithin(connection.state === "closed" ? 1000 : 50).catch(() => {});
  }

  const observed: Record<string, unknown> = {
    state: connection.state,
    results: results.map(summary),
    settledBadly,
    clientGoawayCode: ctx.peer.clientGoaway()?.code ?? null,
    clientResets: ctx.peer.clientResets(),
    socketClosed: ctx.peer.closed,
    connectError: connection.connectError && { reason: connection.connectError.reason },
    goaway: connection.goaway,
  };
  if (connection.state === "ready") {
    // Still usable: a fresh request is answered.
    ctx.peer.autoRespond = true;
    const probe = client.send({ apnsId: "probe" }, Buffer.from("{}"), 1000);
    observed.probe = summary(await within(probe.result, 1000 + MARGIN_MS, "hung" as const));
  }

  const expected: Record<string, unknown> = {
    state: want.state,
    results: want.results,
    settledBadly: [],
    clientResets: want.resets ?? [],
    socketClosed: want.state === "closed",
  };
  if (want.state === "ready") {
    expected.clientGoawayCode = null;
    expected.probe = { kind: "response", status: 200, apnsId: "probe" };
  } else if (want.goawayCode !== undefined) {
    expected.clientGoawayCode = want.goawayCode;
  }
  if (want.connectError !== undefined) expected.connectError = want.connectError;
  if (want.goaway !== undefined) expected.goaway = want.goaway;
  expect(observed).toMatchObject(expected);
  await row.check?.(ctx);
}

// ---------------------------------------------------------------------------------------------
// Row builders for the common shapes.

/**
 * A connection error (§5.4.1): one request in flight when `bad` arrives; the client sends GOAWAY
 * with `code` and closes, the request ends ConnectionLost. (If the client keeps going instead,
 * the peer answers the request so the row fails at once rather than at the request's timeout.)
 */
function connectionError(section: string, name: string, code: number, bad: Buffer): Row {
  return {
    section,
    name,
    script: async ({ peer }) => {
      await peer.request(1);
      if (await peer.barrier(3000, bad)) peer.respondOk(1);
    },
    expect: { state: "closed", goawayCode: code, results: [LOST] },
  };
}

/**
 * A stream error (§5.4.2) on stream 1 while stream 3 is also open: the client resets stream 1 with
 * `code` (its request fails: it was sent and may have been processed, so ConnectionLost), stream 3
 * is answered and the connection stays.
 */
function streamError(section: string, name: string, code: number, bad: Buffer): Row {
  return {
    section,
    name,
    requests: [{}, {}],
    script: async ({ peer }) => {
      await peer.request(1);
      await peer.request(3);
      peer.send(bad);
      if (!(await peer.barrier())) return;
      peer.respondOk(3);
      if (peer.streams.get(1)?.resetCode === null) peer.respondOk(1);
    },
    expect: { state: "ready", resets: [[1, code]], results: [LOST, OK] },
  };
}

/** Frames the client must accept and ignore: the request is answered, the connection stays. */
function ignored(section: string, name: string, frames: Buffer): Row {
  return {
    section,
    name,
    script: async ({ peer }) => {
      await peer.request(1);
      peer.send(frames);
      if (await peer.barrier()) peer.respondOk(1);
    },
    expect: { state: "ready", results: [OK] },
  };
}

const data = (flags: number, streamId: number, payload: number[] | string | Buffer) =>
  frame(FRAME.DATA, flags, streamId, Buffer.from(payload as Buffer));
const headers = (flags: number, streamId: number, block: number[] | Buffer) =>
  frame(FRAME.HEADERS, flags, streamId, Buffer.from(block as Buffer));
const continuation = (flags: number, streamId: number, block: number[] | Buffer) =>
  frame(FRAME.CONTINUATION, flags, streamId, Buffer.from(block as Buffer));
const priority = (streamId: number, length = 5) =>
  frame(FRAME.PRIORITY, 0, streamId, Buffer.alloc(length, 0).fill(16, length - 1));

// ---------------------------------------------------------------------------------------------
// The table.

const rows: Row[] = [
  // §3.4 The server's connection preface: a SETTINGS frame, first.
  {
    section: "§3.4",
    name: "first server frame a PING, not SETTINGS: connection error, never ready",
    settings: null,
    ackSettings: false,
    handshake: "script",
    script: async ({ peer, client }) => {
      peer.send(pingFrame(Buffer.from("preface!")), settingsFrame(DEFAULT_SETTINGS));
      await client.until(() => client.connection.state !== "connecting", 1000).catch(() => {});
    },
    expect: {
      state: "closed",
      goawayCode: PROTOCOL_ERROR,
      results: [],
      connectError: { reason: "ConnectionError" },
    },
  },
  {
    section: "§3.4",
    name: "first server frame a WINDOW_UPDATE, not SETTINGS: connection error, never ready",
    settings: null,
    ackSettings: false,
    handshake: "script",
    script: async ({ peer, client }) => {
      peer.send(windowUpdateFrame(0, 1000), settingsFrame(DEFAULT_SETTINGS));
      await client.until(() => client.connection.state !== "connecting", 1000).catch(() => {});
    },
    expect: {
      state: "closed",
      goawayCode: PROTOCOL_ERROR,
      results: [],
      connectError: { reason: "ConnectionError" },
    },
  },
  {
    section: "§3.4",
    name: "first server frame a SETTINGS ACK, not its own SETTINGS: connection error, never ready",
    settings: null,
    ackSettings: false,
    handshake: "script",
    script: async ({ peer, client }) => {
      peer.send(frame(FRAME.SETTINGS, ACK, 0), settingsFrame(DEFAULT_SETTINGS));
      await client.until(() => client.connection.state !== "connecting", 1000).catch(() => {});
    },
    expect: {
      state: "closed",
      goawayCode: PROTOCOL_ERROR,
      results: [],
      connectError: { reason: "ConnectionError" },
    },
  },
  {
    section: "§3.4",
    name: "first server frame a GOAWAY, not SETTINGS: connection error, never ready",
    settings: null,
    ackSettings: false,
    handshake: "script",
    script: async ({ peer, client }) => {
      peer.send(goawayFrame(0, NO_ERROR));
      await client.until(() => client.connection.state === "closed", 1000).catch(() => {});
    },
    expect: {
      state: "closed",
      goawayCode: PROTOCOL_ERROR,
      results: [],
      connectError: { reason: "ConnectionError" },
    },
  },
  {
    section: "§3.4",
    name: "no frame at all from the server: the connect timeout ends it (ConnectionError), nothing hangs",
    settings: null,
    ackSettings: false,
    handshake: "script",
    connectTimeoutMs: 300,
    script: async ({ client }) => {
      await client.until(() => client.connection.state === "closed", 1500).catch(() => {});
    },
    expect: { state: "closed", results: [], connectError: { reason: "ConnectionError" } },
  },

  // §4.2 Frame size.
  connectionError(
    "§4.2",
    "HEADERS of 16,385 octets (above our SETTINGS_MAX_FRAME_SIZE)",
    FRAME_SIZE_ERROR,
    headers(END_HEADERS | END_STREAM, 1, Buffer.concat([statusField(200), Buffer.alloc(16_384)])),
  ),
  {
    section: "§4.2",
    name: "a frame header announcing 2^24−1 octets: FRAME_SIZE_ERROR at once, payload not awaited",
    script: async ({ peer }) => {
      await peer.request(1);
      peer.send(frameHeader(0xffffff, FRAME.DATA, 0, 1));
      if (await peer.barrier(500).catch(() => true)) peer.respondOk(1);
    },
    expect: { state: "closed", goawayCode: FRAME_SIZE_ERROR, results: [LOST] },
  },

  // §5.1 Stream states: frames on idle streams (never opened) are connection errors.
  connectionError(
    "§5.1",
    "DATA on an idle stream (never opened)",
    PROTOCOL_ERROR,
    data(END_STREAM, 101, "x"),
  ),
  connectionError(
    "§5.1.1",
    "HEADERS on an even (server-initiated) stream id, push disabled",
    PROTOCOL_ERROR,
    headers(END_HEADERS | END_STREAM, 2, [0x88]),
  ),
  connectionError(
    "§6.4",
    "RST_STREAM on an idle stream",
    PROTOCOL_ERROR,
    rstStreamFrame(101, CANCEL),
  ),
  connectionError(
    "§5.1",
    "WINDOW_UPDATE on an idle stream",
    PROTOCOL_ERROR,
    windowUpdateFrame(101, 100),
  ),
  {
    section: "§5.1",
    name: "frames on closed streams (WINDOW_UPDATE, RST_STREAM, PRIORITY after the response) are ignored",
    requests: [{}, {}],
    script: async ({ peer, sent }) => {
      await peer.request(1);
      await peer.request(3);
      peer.respondOk(1);
      await sent[0].result;
      peer.send(windowUpdateFrame(1, 100), rstStreamFrame(1, CANCEL), priority(1));
      if (await peer.barrier()) peer.respondOk(3);
    },
    expect: { state: "ready", results: [OK, OK] },
  },
  {
    section: "§5.1",
    name: "after our RST_STREAM (timeout), the stream's late HEADERS and DATA are ignored, but still HPACK-decoded",
    requests: [{ timeoutMs: 150 }],
    script: async ({ peer, send }) => {
      await peer.request(1);
      await peer.until(() => peer.streams.get(1)?.resetCode !== null, 1000, "RST_STREAM on 1");
      // The late answer adds "apns-id: late-entry" to the dynamic table (index 62)…
      peer.headers(
        1,
        Buffer.concat([statusField(200), literalField("apns-id", "late-entry", "incremental")]),
        END_HEADERS,
      );
      peer.data(1, "late body");
      send();
      await peer.request(3);
      // …which the next response refers to.
      peer.headers(3, Buffer.concat([statusField(200), indexedField(62)]));
    },
    expect: {
      state: "ready",
      resets: [[1, CANCEL]],
      results: [TIMEOUT, { ...OK, apnsId: "late-entry" }],
    },
  },

  // §5.5, §4.1 Extensions: unknown frame types, settings and flags are ignored.
  ignored(
    "§5.5",
    "unknown frame types (0x0a, 0x0c, 0x10, 0xff) on stream 0 and on an open stream",
    Buffer.concat([
      frame(0x0a, 0, 0, Buffer.from("alt-svc")),
      frame(0x0c, 0xff, 0, Buffer.from("origin")),
      frame(0x10, 0, 1, u32(1)),
      frame(0xff, 0xff, 1, Buffer.alloc(100)),
    ]),
  ),
  ignored(
    "§6.5.2",
    "unknown settings (0x99, 0xffff) and MAX_HEADER_LIST_SIZE",
    settingsFrame([
      [0x99, 1],
      [0xffff, 0xffffffff],
      [SETTING.MAX_HEADER_LIST_SIZE, 1000],
      [SETTING.ENABLE_PUSH, 0],
    ]),
  ),
  ignored(
    "§4.1",
    "undefined flags on PING, SETTINGS and WINDOW_UPDATE",
    Buffer.concat([
      pingFrame(Buffer.alloc(8), 0xfe),
      frame(FRAME.SETTINGS, 0xfe, 0, settingsPayload([[SETTING.MAX_CONCURRENT_STREAMS, 100]])),
      frame(FRAME.WINDOW_UPDATE, 0xff, 0, u32(100)),
    ]),
  ),
  ignored(
    "§6.9",
    "WINDOW_UPDATE with the reserved bit set (bit ignored)",
    windowUpdateFrame(0, 0x80000064),
  ),
  ignored("§6.7", "an unsolicited PING ACK", pingFrame(Buffer.from("unasked!"), ACK)),

  // §6.1 DATA.
  connectionError("§6.1", "DATA on stream 0", PROTOCOL_ERROR, data(0, 0, "x")),
  connectionError(
    "§6.1",
    "DATA with padding as long as the payload",
    PROTOCOL_ERROR,
    data(PADDED | END_STREAM, 1, [5, 0, 0, 0, 0]),
  ),
  {
    section: "§6.1",
    name: "DATA with padding longer than the frame on a closed stream: still a connection error",
    requests: [{}, {}],
    script: async ({ peer, sent }) => {
      await peer.request(1);
      await peer.request(3);
      peer.respondOk(1);
      await sent[0].result;
      if (await peer.barrier(3000, data(PADDED, 1, [9, 0, 0]))) peer.respondOk(3);
    },
    expect: { state: "closed", goawayCode: PROTOCOL_ERROR, results: [OK, LOST] },
  },
  {
    section: "§6.1, §5.1",
    name: "DATA after the response's END_STREAM (closed stream): STREAM_CLOSED, as a stream or a connection error",
    requests: [{}, {}],
    script: async ({ peer, sent }) => {
      await peer.request(1);
      await peer.request(3);
      peer.respondOk(1);
      await sent[0].result;
      if (await peer.barrier(3000, data(END_STREAM, 1, "late"))) peer.respondOk(3);
    },
    // §6.1 asks for a stream error; §5.1 lets a client make any frame on a closed stream a
    // connection error.
    expect: (state) =>
      state === "closed"
        ? { state, goawayCode: STREAM_CLOSED, results: [OK, LOST] }
        : { state: "ready", resets: [[1, STREAM_CLOSED]], results: [OK, OK] },
  },
  {
    section: "§6.1",
    name: "DATA padded to the limit (pad length = length − 1) and DATA with undefined flags",
    requests: [{}, {}],
    script: async ({ peer }) => {
      await peer.request(1);
      await peer.request(3);
      peer.headers(1, responseBlock(200), END_HEADERS);
      peer.send(data(PADDED | END_STREAM, 1, [3, 0, 0, 0]));
      peer.headers(3, responseBlock(200), END_HEADERS);
      peer.send(data(0xf6, 3, "o"), data(0xf6 | END_STREAM, 3, [0x6b]));
    },
    expect: {
      state: "ready",
      results: [
        { ...OK, body: "" },
        { ...OK, body: "ok" },
      ],
    },
  },

  // §6.2 HEADERS.
  connectionError(
    "§6.2",
    "HEADERS on stream 0",
    PROTOCOL_ERROR,
    headers(END_HEADERS | END_STREAM, 0, [0x88]),
  ),
  connectionError(
    "§6.2",
    "HEADERS with padding as long as the payload",
    PROTOCOL_ERROR,
    headers(PADDED | END_HEADERS | END_STREAM, 1, [2, 0x88]),
  ),
  connectionError(
    "§6.2",
    "HEADERS with PADDED set but no Pad Length octet",
    FRAME_SIZE_ERROR,
    headers(PADDED | END_HEADERS | END_STREAM, 1, []),
  ),
  connectionError(
    "§6.2",
    "HEADERS with PRIORITY set but shorter than its 5 priority octets",
    FRAME_SIZE_ERROR,
    headers(PRIORITY | END_HEADERS | END_STREAM, 1, [0, 0, 0]),
  ),
  {
    section: "§6.2",
    name: "HEADERS with PRIORITY and padding: the fields after both are read; a 1xx comes first",
    script: async ({ peer }) => {
      await peer.request(1);
      peer.headers(1, Buffer.concat([literalField(8, "100")]), END_HEADERS);
      peer.send(
        headers(PRIORITY | PADDED | END_HEADERS | END_STREAM, 1, [
          ...[2, 0, 0, 0, 3, 15],
          ...responseBlock(200, [["apns-id", "after-priority"]]),
          ...[0, 0],
        ]),
      );
    },
    expect: { state: "ready", results: [{ ...OK, apnsId: "after-priority" }] },
  },

  // §6.3 PRIORITY (deprecated signal, but the frame's rules stand).
  connectionError("§6.3", "PRIORITY on stream 0", PROTOCOL_ERROR, priority(0)),
  streamError("§6.3", "PRIORITY of 4 octets: stream error", FRAME_SIZE_ERROR, priority(1, 4)),
  ignored(
    "§6.3",
    "PRIORITY of 5 octets on an open and on an idle stream",
    Buffer.concat([priority(1), priority(101)]),
  ),

  // §6.4 RST_STREAM.
  connectionError("§6.4", "RST_STREAM on stream 0", PROTOCOL_ERROR, rstStreamFrame(0, CANCEL)),
  connectionError(
    "§6.4",
    "RST_STREAM of 3 octets",
    FRAME_SIZE_ERROR,
    frame(FRAME.RST_STREAM, 0, 1, [0, 0, 8]),
  ),
  connectionError(
    "§6.4",
    "RST_STREAM of 5 octets",
    FRAME_SIZE_ERROR,
    frame(FRAME.RST_STREAM, 0, 1, [0, 0, 0, 8, 0]),
  ),
  {
    section: "§6.4",
    name: "RST_STREAM REFUSED_STREAM: Refused; the connection stays",
    script: async ({ peer }) => {
      await peer.request(1);
      peer.send(rstStreamFrame(1, REFUSED_STREAM));
    },
    expect: { state: "ready", results: [REFUSED] },
  },
  {
    section: "§6.4",
    name: "RST_STREAM CANCEL / INTERNAL_ERROR: ConnectionLost; other streams unaffected",
    requests: [{}, {}, {}],
    script: async ({ peer }) => {
      await peer.request(5);
      peer.send(rstStreamFrame(1, CANCEL), rstStreamFrame(3, INTERNAL_ERROR));
      peer.respondOk(5);
    },
    expect: { state: "ready", results: [LOST, LOST, OK] },
  },
  {
    section: "§6.4",
    name: "RST_STREAM REFUSED_STREAM while the body waits for window: Refused, the rest never sent",
    settings: [[SETTING.INITIAL_WINDOW_SIZE, 100]],
    requests: [{ body: 5000 }],
    script: async ({ peer }) => {
      await peer.until(() => peer.dataBytes(1) >= 100, 3000, "100 bytes of DATA");
      peer.send(rstStreamFrame(1, REFUSED_STREAM));
      peer.settings([[SETTING.INITIAL_WINDOW_SIZE, 65_535]]);
      await peer.barrier();
      expect(peer.dataBytes(1), "DATA on the refused stream").toBe(100);
    },
    expect: { state: "ready", results: [REFUSED] },
  },

  // §6.5 SETTINGS.
  connectionError(
    "§6.5",
    "SETTINGS on a stream",
    PROTOCOL_ERROR,
    frame(FRAME.SETTINGS, 0, 1, settingsPayload([])),
  ),
  connectionError(
    "§6.5",
    "SETTINGS of 5 octets (not a multiple of 6)",
    FRAME_SIZE_ERROR,
    frame(FRAME.SETTINGS, 0, 0, [0, 3, 0, 0, 0]),
  ),
  connectionError(
    "§6.5",
    "SETTINGS of 7 octets (not a multiple of 6)",
    FRAME_SIZE_ERROR,
    frame(FRAME.SETTINGS, 0, 0, [0, 3, 0, 0, 0, 10, 0]),
  ),
  connectionError(
    "§6.5",
    "SETTINGS ACK with a payload",
    FRAME_SIZE_ERROR,
    frame(FRAME.SETTINGS, ACK, 0, settingsPayload([[SETTING.MAX_CONCURRENT_STREAMS, 1]])),
  ),
  connectionError(
    "§6.5.2",
    "SETTINGS_ENABLE_PUSH = 1 from a server",
    PROTOCOL_ERROR,
    settingsFrame([[SETTING.ENABLE_PUSH, 1]]),
  ),
  connectionError(
    "§6.5.2",
    "SETTINGS_ENABLE_PUSH = 2",
    PROTOCOL_ERROR,
    settingsFrame([[SETTING.ENABLE_PUSH, 2]]),
  ),
  connectionError(
    "§6.5.2",
    "SETTINGS_INITIAL_WINDOW_SIZE = 2^31",
    FLOW_CONTROL_ERROR,
    settingsFrame([[SETTING.INITIAL_WINDOW_SIZE, 2 ** 31]]),
  ),
  connectionError(
    "§6.5.2",
    "SETTINGS_MAX_FRAME_SIZE = 16,383",
    PROTOCOL_ERROR,
    settingsFrame([[SETTING.MAX_FRAME_SIZE, 16_383]]),
  ),
  connectionError(
    "§6.5.2",
    "SETTINGS_MAX_FRAME_SIZE = 2^24",
    PROTOCOL_ERROR,
    settingsFrame([[SETTING.MAX_FRAME_SIZE, 2 ** 24]]),
  ),
  {
    section: "§6.9.2",
    name: "INITIAL_WINDOW_SIZE change that takes an open stream's window past 2^31−1",
    script: async ({ peer }) => {
      await peer.request(1);
      const frames = [
        // Stream 1 sent "{}": its window is 65,533; open it to exactly 2^31−1 (legal)…
        windowUpdateFrame(1, MAX_WINDOW - 65_533),
        // …then one more octet for every stream.
        settingsFrame([[SETTING.INITIAL_WINDOW_SIZE, 65_536]]),
      ];
      if (await peer.barrier(3000, ...frames)) peer.respondOk(1);
    },
    expect: { state: "closed", goawayCode: FLOW_CONTROL_ERROR, results: [LOST] },
  },

  // §6.6, §8.4 PUSH_PROMISE: we sent SETTINGS_ENABLE_PUSH = 0.
  connectionError(
    "§6.6",
    "PUSH_PROMISE with push disabled",
    PROTOCOL_ERROR,
    frame(FRAME.PUSH_PROMISE, END_HEADERS, 1, [0, 0, 0, 2, 0x82, 0x87, 0x84]),
  ),

  // §6.7 PING.
  connectionError(
    "§6.7",
    "PING of 7 octets",
    FRAME_SIZE_ERROR,
    frame(FRAME.PING, 0, 0, Buffer.alloc(7)),
  ),
  connectionError(
    "§6.7",
    "PING of 9 octets",
    FRAME_SIZE_ERROR,
    frame(FRAME.PING, 0, 0, Buffer.alloc(9)),
  ),
  connectionError(
    "§6.7",
    "PING on a stream",
    PROTOCOL_ERROR,
    frame(FRAME.PING, 0, 1, Buffer.alloc(8)),
  ),

  // §6.8 GOAWAY.
  connectionError(
    "§6.8",
    "GOAWAY on a stream",
    PROTOCOL_ERROR,
    frame(FRAME.GOAWAY, 0, 1, u32(1, 0)),
  ),
  connectionError(
    "§6.8",
    "GOAWAY of 7 octets",
    FRAME_SIZE_ERROR,
    frame(FRAME.GOAWAY, 0, 0, [0, 0, 0, 1, 0, 0, 0]),
  ),
  {
    section: "§6.8",
    name: 'GOAWAY lastStreamId 1 with debug data {"reason":"Shutdown"}: stream 3 Refused with it, 1 finishes, then closed',
    requests: [{}, {}],
    script: async ({ peer }) => {
      await peer.request(3);
      peer.send(goawayFrame(1, NO_ERROR, JSON.stringify({ reason: "Shutdown" })));
      await peer.barrier();
      peer.respondOk(1);
    },
    expect: {
      state: "closed",
      goawayCode: NO_ERROR,
      results: [OK, { ...REFUSED, goaway: { code: 0, lastStreamId: 1, reason: "Shutdown" } }],
      goaway: { code: 0, lastStreamId: 1, reason: "Shutdown" },
    },
  },
  {
    section: "§6.8",
    name: "two-phase GOAWAY (2^31−1, then 1): draining at once, new requests Refused, streams above 1 Refused",
    requests: [{}, {}, {}],
    script: async ({ peer, client, send }) => {
      await peer.request(5);
      peer.send(goawayFrame(MAX_WINDOW, NO_ERROR, JSON.stringify({ reason: "Shutdown" })));
      await peer.barrier();
      expect(client.connection.state, "after the first GOAWAY").toBe("draining");
      send(); // refused at once: nothing may start after a GOAWAY
      peer.send(goawayFrame(1, NO_ERROR));
      await peer.barrier();
      expect(peer.streamIds, "streams the client opened").toEqual([1, 3, 5]);
      peer.respondOk(1);
    },
    expect: {
      state: "closed",
      goawayCode: NO_ERROR,
      results: [
        OK,
        { ...REFUSED, goaway: { code: 0, lastStreamId: 1, reason: "Shutdown" } },
        { ...REFUSED, goaway: { code: 0, lastStreamId: 1, reason: "Shutdown" } },
        REFUSED,
      ],
      goaway: { code: 0, lastStreamId: 1, reason: "Shutdown" },
    },
  },
  {
    section: "§6.8",
    name: "GOAWAY INTERNAL_ERROR (debug data not JSON), then the server closes: ≤ lastStreamId lost, above Refused",
    requests: [{}, {}],
    script: async ({ peer }) => {
      await peer.request(3);
      peer.send(goawayFrame(1, INTERNAL_ERROR, "not json"));
      await peer.barrier();
      peer.socket.end();
    },
    expect: {
      state: "closed",
      results: [LOST, { ...REFUSED, goaway: { code: INTERNAL_ERROR, lastStreamId: 1 } }],
      goaway: { code: INTERNAL_ERROR, lastStreamId: 1, reason: undefined },
    },
  },

  // §6.9 WINDOW_UPDATE.
  connectionError(
    "§6.9",
    "WINDOW_UPDATE of 3 octets on the connection",
    FRAME_SIZE_ERROR,
    frame(FRAME.WINDOW_UPDATE, 0, 0, [0, 0, 1]),
  ),
  connectionError(
    "§6.9",
    "WINDOW_UPDATE of 5 octets on a stream (still a connection error)",
    FRAME_SIZE_ERROR,
    frame(FRAME.WINDOW_UPDATE, 0, 1, [0, 0, 0, 1, 0]),
  ),
  connectionError(
    "§6.9",
    "WINDOW_UPDATE increment 0 on the connection",
    PROTOCOL_ERROR,
    windowUpdateFrame(0, 0),
  ),
  streamError(
    "§6.9",
    "WINDOW_UPDATE increment 0 on a stream: stream error only",
    PROTOCOL_ERROR,
    windowUpdateFrame(1, 0),
  ),
  connectionError(
    "§6.9.1",
    "WINDOW_UPDATE taking the connection window past 2^31−1",
    FLOW_CONTROL_ERROR,
    windowUpdateFrame(0, MAX_WINDOW),
  ),
  streamError(
    "§6.9.1",
    "WINDOW_UPDATE taking a stream window past 2^31−1: stream error only",
    FLOW_CONTROL_ERROR,
    windowUpdateFrame(1, MAX_WINDOW),
  ),

  // §6.10 CONTINUATION.
  connectionError(
    "§6.10",
    "CONTINUATION without a preceding HEADERS",
    PROTOCOL_ERROR,
    continuation(END_HEADERS, 1, [0x88]),
  ),
  connectionError(
    "§6.10",
    "CONTINUATION after a HEADERS that had END_HEADERS",
    PROTOCOL_ERROR,
    Buffer.concat([headers(END_HEADERS, 1, [0x88]), continuation(END_HEADERS, 1, [])]),
  ),
  connectionError(
    "§6.10",
    "CONTINUATION on another stream than its HEADERS",
    PROTOCOL_ERROR,
    Buffer.concat([headers(END_STREAM, 1, [0x88]), continuation(END_HEADERS, 3, [])]),
  ),
  connectionError(
    "§6.10",
    "a PING inside a header block",
    PROTOCOL_ERROR,
    Buffer.concat([headers(END_STREAM, 1, [0x88]), pingFrame(), continuation(END_HEADERS, 1, [])]),
  ),
  connectionError(
    "§6.10",
    "an unknown frame type inside a header block",
    PROTOCOL_ERROR,
    Buffer.concat([
      headers(END_STREAM, 1, [0x88]),
      frame(0xbb, 0, 1),
      continuation(END_HEADERS, 1, []),
    ]),
  ),
  {
    section: "§6.10",
    name: "a header block in HEADERS + two CONTINUATIONs (END_STREAM on the HEADERS)",
    script: async ({ peer }) => {
      await peer.request(1);
      const block = responseBlock(200, [["apns-id", "split-block"]]);
      peer.send(
        headers(END_STREAM, 1, block.subarray(0, 3)),
        continuation(0, 1, block.subarray(3, 8)),
        continuation(END_HEADERS, 1, block.subarray(8)),
      );
    },
    expect: { state: "ready", results: [{ ...OK, apnsId: "split-block" }] },
  },
  {
    section: "§6.10, §10.5",
    name: "CONTINUATION without END_HEADERS, forever: the connection ends (bounded buffering), no hang",
    script: async ({ peer }) => {
      await peer.request(1);
      peer.headers(1, Buffer.from([0x88]), END_STREAM);
      // 1 MB a write, up to 16 MB: far beyond any sane header block. (Socket buffers let the peer
      // run about 4 MB ahead of a client that stops reading after 1 MB.)
      const megabyte = Buffer.concat(
        Array.from({ length: 64 }, () => continuation(0, 1, Buffer.alloc(16_384, 0x40))),
      );
      for (let i = 0; i < 16 && !peer.closed; i++) await peer.sendPaced(megabyte);
    },
    quiet: true,
    expect: { state: "closed", results: [LOST] },
    check: ({ peer }) => {
      expect(peer.bytesSent, "bytes the peer got to send before the client hung up").toBeLessThan(
        16 * 1024 * 1024,
      );
      expect(peer.clientGoaway()?.code, "the client's GOAWAY error code").not.toBe(NO_ERROR);
    },
  },

  // §6.1, §6.2 Padding: covered above. §4.3, RFC 7541: header compression.
  connectionError(
    "§4.3",
    "HPACK: index beyond the (empty) dynamic table",
    COMPRESSION_ERROR,
    headers(END_HEADERS | END_STREAM, 1, [0x88, 0xbe]),
  ),
  connectionError(
    "§4.3",
    "HPACK: index 0",
    COMPRESSION_ERROR,
    headers(END_HEADERS | END_STREAM, 1, [0x80]),
  ),
  connectionError(
    "§4.3",
    "HPACK: table size update above our SETTINGS_HEADER_TABLE_SIZE (4,097)",
    COMPRESSION_ERROR,
    headers(END_HEADERS | END_STREAM, 1, [0x3f, 0xe2, 0x1f, 0x88]),
  ),
  connectionError(
    "§4.3",
    "HPACK: table size update after a field",
    COMPRESSION_ERROR,
    headers(END_HEADERS | END_STREAM, 1, [0x88, 0x20]),
  ),
  connectionError(
    "§4.3",
    "HPACK: Huffman string containing EOS",
    COMPRESSION_ERROR,
    headers(END_HEADERS | END_STREAM, 1, [0x88, 0x00, 0x01, 0x78, 0x84, 0xff, 0xff, 0xff, 0xff]),
  ),
  connectionError(
    "§4.3",
    "HPACK: string longer than the block",
    COMPRESSION_ERROR,
    headers(END_HEADERS | END_STREAM, 1, [0x88, 0x40, 0x05, 0x61]),
  ),
  {
    section: "RFC 7541 §4.1",
    name: "HPACK table sizes count octets: a 3,000-octet latin1 value (bytes ≥ 0x80) does not evict older entries",
    requests: [{}, {}],
    script: async ({ peer }) => {
      await peer.request(3);
      // 46 + 3,037 octets: both entries fit in 4,096 ("x-pad" is 62, "apns-id" 63).
      peer.headers(
        1,
        Buffer.concat([
          statusField(200),
          literalField("apns-id", "keep-me", "incremental"),
          literalField("x-pad", Buffer.alloc(3000, 0xff), "incremental"),
        ]),
      );
      peer.headers(3, Buffer.concat([statusField(200), indexedField(63)]));
    },
    expect: {
      state: "ready",
      results: [
        { ...OK, apnsId: "keep-me" },
        { ...OK, apnsId: "keep-me" },
      ],
    },
  },

  // §6.5.2, §6.9.2 SETTINGS changes with streams open.
  {
    section: "§6.9.2",
    name: "INITIAL_WINDOW_SIZE down (window negative) and up again while a body waits",
    settings: [
      [SETTING.MAX_CONCURRENT_STREAMS, 100],
      [SETTING.INITIAL_WINDOW_SIZE, 1000],
    ],
    requests: [{ body: 5000 }],
    script: async ({ peer, send }) => {
      await peer.opened(1);
      await peer.barrier();
      expect(peer.dataBytes(1), "window 1,000").toBe(1000);
      peer.settings([[SETTING.INITIAL_WINDOW_SIZE, 0]]); // window −1,000
      await peer.barrier();
      expect(peer.dataBytes(1), "window −1,000").toBe(1000);
      peer.send(windowUpdateFrame(1, 500)); // −500
      await peer.barrier();
      expect(peer.dataBytes(1), "window −500").toBe(1000);
      peer.settings([[SETTING.INITIAL_WINDOW_SIZE, 3000]]); // 2,500
      await peer.barrier();
      expect(peer.dataBytes(1), "window 2,500").toBe(3500);
      peer.send(windowUpdateFrame(1, 1500));
      expect((await peer.request(1)).bodyBytes).toBe(5000);
      peer.respondOk(1);
      // A stream opened now starts with the new initial window.
      send({ body: 4000 });
      await peer.opened(3);
      await peer.barrier();
      expect(peer.dataBytes(3), "new stream, window 3,000").toBe(3000);
      peer.send(windowUpdateFrame(3, 1000));
      await peer.request(3);
      peer.respondOk(3);
    },
    expect: { state: "ready", results: [OK, OK] },
  },
  {
    section: "§6.9.1",
    name: "connection window exhausted: bodies wait (none of their DATA) until WINDOW_UPDATE on 0",
    settings: [
      [SETTING.MAX_CONCURRENT_STREAMS, 100],
      [SETTING.INITIAL_WINDOW_SIZE, 1 << 20],
    ],
    requests: [{ body: 100_000 }],
    script: async ({ peer, send }) => {
      await peer.until(() => peer.dataBytes(1) >= 65_535, 3000, "65,535 bytes of DATA");
      await peer.barrier();
      expect(peer.dataBytes(1), "the whole connection window").toBe(65_535);
      send({ body: 10 });
      await peer.opened(3);
      await peer.barrier();
      expect(peer.dataBytes(3), "window 0: nothing of the second body").toBe(0);
      peer.send(windowUpdateFrame(0, 40_000));
      await peer.request(1);
      await peer.request(3);
      expect(peer.dataBytes(), "both bodies").toBe(100_010);
      peer.respondOk(1);
      peer.respondOk(3);
    },
    expect: { state: "ready", results: [OK, OK] },
  },
  {
    section: "§5.2, §6.9",
    name: "a body blocked by its own stream window does not hold back another stream's body",
    settings: [
      [SETTING.MAX_CONCURRENT_STREAMS, 100],
      [SETTING.INITIAL_WINDOW_SIZE, 1000],
    ],
    requests: [{ body: 5000 }, { body: 100 }],
    script: async ({ peer }) => {
      await peer.opened(3);
      await peer.barrier();
      expect(peer.dataBytes(3), "stream 3's body, sent while stream 1 waits").toBe(100);
      if (peer.streams.get(3)?.ended) peer.respondOk(3);
      peer.send(windowUpdateFrame(1, 4000), windowUpdateFrame(3, 1000));
      await peer.request(1);
      peer.respondOk(1);
      peer.respondOk(3);
    },
    expect: { state: "ready", results: [OK, OK] },
  },
  {
    section: "§6.9",
    name: "a stream that times out before its body is all sent ends NotSent, reset with CANCEL",
    settings: [
      [SETTING.MAX_CONCURRENT_STREAMS, 100],
      [SETTING.INITIAL_WINDOW_SIZE, 10],
    ],
    requests: [{ body: 1000, timeoutMs: 200 }],
    script: async ({ peer, sent }) => {
      await peer.opened(1);
      await peer.barrier();
      expect(peer.dataBytes(1)).toBe(10);
      await sent[0].result;
      await peer.until(() => peer.clientResets().length > 0, 1000, "RST_STREAM");
    },
    expect: { state: "ready", resets: [[1, CANCEL]], results: [NOT_SENT] },
  },
  {
    section: "§6.5.2",
    name: "MAX_FRAME_SIZE raised: DATA frames grow to it and never beyond",
    settings: [
      [SETTING.MAX_CONCURRENT_STREAMS, 100],
      [SETTING.INITIAL_WINDOW_SIZE, 1 << 20],
    ],
    requests: [{ body: 40_000 }],
    script: async ({ peer, send }) => {
      await peer.request(1);
      peer.respondOk(1);
      peer.send(windowUpdateFrame(0, 100_000));
      peer.settings([[SETTING.MAX_FRAME_SIZE, 20_000]]);
      await peer.barrier();
      send({ body: 45_000 });
      await peer.request(3);
      peer.respondOk(3);
      const sizes = (id: number) => peer.framesOf(FRAME.DATA, id).map((f) => f.payload.length);
      expect(sizes(1)).toEqual([16_384, 16_384, 7232]);
      expect(sizes(3)).toEqual([20_000, 20_000, 5000]);
    },
    expect: { state: "ready", results: [OK, OK] },
  },
  {
    section: "§5.1.2, §6.5.2",
    name: "MAX_CONCURRENT_STREAMS to 0 and back: capacity 0, requests queue, then go (never above the limit)",
    settings: [[SETTING.MAX_CONCURRENT_STREAMS, 2]],
    requests: [],
    script: async (ctx) => {
      const { peer, client } = ctx;
      // What the pool does: open streams only while the connection has capacity.
      let queued = 5;
      const pumpNow = () => {
        while (queued > 0 && client.connection.capacity > 0) {
          queued--;
          ctx.send();
        }
      };
      // Like the pool: refill after the I/O callbacks, not from inside them.
      const pump = () => setImmediate(pumpNow);
      client.listeners.add(pump);
      cleanup.push(() => client.listeners.delete(pump));
      pump();
      await peer.request(1);
      await peer.request(3);
      expect(peer.streamIds, "limit 2").toEqual([1, 3]);
      peer.settings([[SETTING.MAX_CONCURRENT_STREAMS, 0]]);
      await peer.barrier();
      peer.respondOk(1);
      peer.respondOk(3);
      await ctx.sent[1].result;
      await sleep(30);
      await peer.barrier();
      expect(client.connection.capacity, "capacity at limit 0").toBe(0);
      expect(peer.streamIds, "nothing opened at limit 0").toEqual([1, 3]);
      peer.autoRespond = true;
      peer.settings([[SETTING.MAX_CONCURRENT_STREAMS, 2]]);
      await client.until(() => queued === 0, 2000, "the queue to drain");
      await Promise.all(ctx.sent.map((s) => s.result));
      expect(peer.maxOpenStreams, "streams open at once").toBeLessThanOrEqual(2);
    },
    expect: { state: "ready", results: [OK, OK, OK, OK, OK] },
  },
  {
    section: "RFC 7541 §4.2, §6.3",
    name: "HEADER_TABLE_SIZE changes: the next header block starts with the size update(s)",
    requests: [
      { request: { headers: { "apns-topic": "com.example.app", "apns-push-type": "alert" } } },
    ],
    script: async ({ peer, send }) => {
      peer.autoRespond = true;
      const campaign = { headers: { "apns-topic": "com.example.app", "apns-push-type": "alert" } };
      const next = async (id: number) => {
        const request = send({ request: campaign });
        const stream = await peer.request(id);
        await request.result;

        return stream;
      };
      await peer.request(1);
      expect(leadingTableSizeUpdates(peer.streams.get(1)!.block), "first block").toEqual([]);
      peer.settings([[SETTING.HEADER_TABLE_SIZE, 0]]);
      await peer.barrier();
      expect(leadingTableSizeUpdates((await next(3)).block), "after 0").toEqual([0]);
      expect(leadingTableSizeUpdates((await next(5)).block), "no change since").toEqual([]);
      peer.settings([[SETTING.HEADER_TABLE_SIZE, 4096]]);
      await peer.barrier();
      expect(leadingTableSizeUpdates((await next(7)).block), "back to 4,096").toEqual([4096]);
      await next(9);
      peer.settings([[SETTING.HEADER_TABLE_SIZE, 50]]);
      peer.settings([[SETTING.HEADER_TABLE_SIZE, 4096]]);
      await peer.barrier();
      expect(leadingTableSizeUpdates((await next(11)).block), "4,096 → 50 → 4,096").toEqual([
        50, 4096,
      ]);
      for (const id of [1, 3, 5, 7, 9, 11]) {
        expect(peer.field(id, "apns-topic"), `stream ${id}'s topic`).toBe("com.example.app");
      }
      expect(peer.problems, "the client's header blocks, decoded by the peer").toEqual([]);
    },
    expect: { state: "ready", results: [OK, OK, OK, OK, OK, OK] },
  },

  // §10.5 Denial of service: floods end in answers or a closed connection, never a hang.
  {
    section: "§6.7, §10.5",
    name: "PING flood (5,000 in one write): all ACKed in order, or the connection ends; no hang",
    script: async ({ peer }) => {
      await peer.request(1);
      const count = 5000;
      const payload = (i: number) => Buffer.concat([Buffer.from("fl"), Buffer.alloc(2), u32(i)]);
      peer.send(...Array.from({ length: count }, (_, i) => pingFrame(payload(i))));
      const acked = () =>
        peer.frames.filter((f) => f.type === FRAME.PING && f.flags & ACK && f.payload[0] === 0x66);
      await peer.until(() => acked().length >= count, 5000, "5,000 PING ACKs").catch(() => {});
      if (!peer.closed) {
        expect(acked().map((f) => f.payload.readUInt32BE(4))).toEqual(
          Array.from({ length: count }, (_, i) => i),
        );
        peer.respondOk(1);
      }
    },
    // A client may also cut a flooding server off; then the request is lost, as in any close.
    expect: (state) =>
      state === "closed" ? { state, results: [LOST] } : { state: "ready", results: [OK] },
  },
  {
    section: "§6.5, §10.5",
    name: "SETTINGS flood (2,000 in one write): all ACKed, or the connection ends; no hang",
    script: async ({ peer }) => {
      await peer.request(1);
      const acks = () => peer.framesOf(FRAME.SETTINGS).filter((f) => f.flags & ACK).length;
      const before = acks();
      const settings = settingsFrame([[SETTING.MAX_CONCURRENT_STREAMS, 100]]);
      peer.send(...Array.from({ length: 2000 }, () => settings));
      await peer.until(() => acks() >= before + 2000, 5000, "2,000 SETTINGS ACKs").catch(() => {});
      peer.respondOk(1);
    },
    expect: (state) =>
      state === "closed" ? { state, results: [LOST] } : { state: "ready", results: [OK] },
  },
];

describe("RFC 9113 conformance against a scripted server", () => {
  it.each(rows.map((row) => [`${row.section} ${row.name}`, row] as const))("%s", async (_, row) => {
    await runRow(row);
  });
});
