// A scripted HTTP/2 server for testing our client (connection.ts) frame by frame: raw frames over
// real TLS (ALPN "h2"), no node:http2, so a test sends exactly the bytes it wants (malformed ones
// included) and sees every frame the client sends. The peer decodes just enough of the client's
// side to answer: the preface, frame boundaries, stream ids, header blocks (HPACK) and DATA.
// Test-only: imported by *.test.ts files, never by the library.

import type { AddressInfo } from "node:net";
import tls from "node:tls";

import { ApnsConnection, type ApnsRequest, type RawResult } from "../connection";
import { generateServerTls, type ServerTls } from "../simulator/tls-material";
import { FLAG, FRAME, PREFACE } from "./frames";
import { HpackDecoder } from "./hpack";

// ---------------------------------------------------------------------------------------------
// Encoding what the server sends: frames (RFC 9113 §4.1, §6) and HPACK fields (RFC 7541 §6).

/** A 9-byte frame header alone (e.g. to announce a length that never follows). */
export function frameHeader(length: number, type: number, flags: number, streamId: number): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(length, 0, 3);
  header[3] = type;
  header[4] = flags;
  // `>>> 0`: a test may set the reserved bit on purpose.
  header.writeUInt32BE(streamId >>> 0, 5);

  return header;
}

export function frame(
  type: number,
  flags: number,
  streamId: number,
  payload: Uint8Array | readonly number[] = [],
): Buffer {
  const body = Buffer.from(payload as Uint8Array);

  return Buffer.concat([frameHeader(body.length, type, flags, streamId), body]);
}

/** Big-endian 32-bit words, e.g. a WINDOW_UPDATE increment or a RST_STREAM code. */
export function u32(...values: number[]): Buffer {
  const out = Buffer.alloc(4 * values.length);
  values.forEach((value, i) => out.writeUInt32BE(value >>> 0, 4 * i));

  return out;
}

export type SettingsEntries = readonly (readonly [id: number, value: number])[];

export function settingsPayload(entries: SettingsEntries): Buffer {
  const out = Buffer.alloc(6 * entries.length);
  entries.forEach(([id, value], i) => {
    out.writeUInt16BE(id, 6 * i);
    out.writeUInt32BE(value >>> 0, 6 * i + 2);
  });

  return out;
}

export function settingsFrame(entries: SettingsEntries): Buffer {
  return frame(FRAME.SETTINGS, 0, 0, settingsPayload(entries));
}

export function goawayFrame(lastStreamId: number, code: number, debug = ""): Buffer {
  return frame(FRAME.GOAWAY, 0, 0, Buffer.concat([u32(lastStreamId, code), Buffer.from(debug)]));
}

export function windowUpdateFrame(streamId: number, increment: number): Buffer {
  return frame(FRAME.WINDOW_UPDATE, 0, streamId, u32(increment));
}

export function rstStreamFrame(streamId: number, code: number): Buffer {
  return frame(FRAME.RST_STREAM, 0, streamId, u32(code));
}

export function pingFrame(payload: Uint8Array = Buffer.alloc(8), flags = 0): Buffer {
  return frame(FRAME.PING, flags, 0, payload);
}

/** RFC 7541 §5.1: an integer with an N-bit prefix; `flags` fills the first byte's other bits. */
export function hpackInt(value: number, prefixBits: number, flags = 0): Buffer {
  const max = (1 << prefixBits) - 1;
  if (value < max) return Buffer.from([flags | value]);
  const bytes = [flags | max];
  let rest = value - max;
  while (rest >= 128) {
    bytes.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);

  return Buffer.from(bytes);
}

/** A string literal without Huffman coding; strings are taken as latin1 (one octet a char). */
export function hpackString(value: string | Uint8Array): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value, "latin1") : Buffer.from(value);

  return Buffer.concat([hpackInt(bytes.length, 7), bytes]);
}

/** §6.1: a field of the static or dynamic table, by index (":status: 200" is 8, byte 0x88). */
export function indexedField(index: number): Buffer {
  return hpackInt(index, 7, 0x80);
}

export type LiteralMode = "without-indexing" | "incremental" | "never-indexed";

const LITERAL_PREFIX: Record<LiteralMode, [bits: number, flags: number]> = {
  "without-indexing": [4, 0x00],
  incremental: [6, 0x40],
  "never-indexed": [4, 0x10],
};

/** §6.2: a literal field; `name` is a new name (string) or the index of an existing one. */
export function literalField(
  name: string | number,
  value: string | Uint8Array,
  mode: LiteralMode = "without-indexing",
): Buffer {
  const [bits, flags] = LITERAL_PREFIX[mode];
  const prefix = hpackInt(typeof name === "number" ? name : 0, bits, flags);

  return Buffer.concat([
    prefix,
    typeof name === "number" ? Buffer.alloc(0) : hpackString(name),
    hpackString(value),
  ]);
}

/** §6.3: a dynamic table size update (only at the start of a block). */
export function tableSizeUpdate(size: number): Buffer {
  return hpackInt(size, 5, 0x20);
}

/** ":status", from the static table when it is there (200 is the single byte 0x88). */
export function statusField(status: number): Buffer {
  const index = [200, 204, 206, 304, 400, 404, 500].indexOf(status);
  if (index !== -1) return indexedField(8 + index);

  return literalField(8, String(status));
}

/** A response header block that leaves the dynamic table alone: static :status, plain literals. */
export function responseBlock(status = 200, fields: readonly (readonly [string, string])[] = []) {
  return Buffer.concat([statusField(status), ...fields.map(([n, v]) => literalField(n, v))]);
}

/** Read the dynamic table size updates a header block starts with (RFC 7541 §6.3). */
export function leadingTableSizeUpdates(block: Buffer): number[] {
  const sizes: number[] = [];
  let pos = 0;
  while (pos < block.length && (block[pos] & 0xe0) === 0x20) {
    let value = block[pos++] & 0x1f;
    if (value === 0x1f) {
      let shift = 0;
      let byte: number;
      do {
        byte = block[pos++];
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte & 0x80 && pos < block.length);
    }
    sizes.push(value);
  }

  return sizes;
}

// ---------------------------------------------------------------------------------------------
// The server: one PeerSession per accepted connection.

/** One frame the client sent (payload as received, padding included). */
export type ClientFrame = { type: number; flags: number; streamId: number; payload: Buffer };

/** One request stream the client opened. */
export type ClientStream = {
  id: number;
  /** The header block as sent (HEADERS plus CONTINUATION fragments). */
  block: Buffer;
  /** Its decoded fields, empty when it did not decode (see PeerSession.problems). */
  fields: [string, string][];
  body: Buffer[];
  bodyBytes: number;
  /** END_STREAM seen: the request is complete. */
  ended: boolean;
  /** The client's RST_STREAM error code, if it reset the stream. */
  resetCode: number | null;
  answered: boolean;
};

export type ResponseSpec = {
  status?: number;
  fields?: readonly (readonly [string, string])[];
  body?: string | Buffer;
};

/** Called on each complete request (END_STREAM) the session has not answered yet. */
export type RequestHandler = (stream: ClientStream, session: PeerSession) => void;

type Waiter = { test: () => boolean; timer: NodeJS.Timeout };

export class PeerSession {
  readonly socket: tls.TLSSocket;
  /** 1 for the peer's first connection, 2 for the next, and so on. */
  readonly index: number;
  /** Every frame the client sent, in order (after the connection preface). */
  readonly frames: ClientFrame[] = [];
  /** The client's request streams by id, in the order it opened them. */
  readonly streams = new Map<number, ClientStream>();
  /** Anything the client did that the peer could not follow (bad preface, undecodable block). */
  readonly problems: string[] = [];
  /** Answer each complete request with 200 (and its apns-id); or a function that answers it. */
  autoRespond: boolean | RequestHandler;
  /** Acknowledge the client's SETTINGS and answer its PINGs, as any server does. */
  ackSettings = true;
  answerPings = true;
  closed = false;
  /** Bytes this peer has handed to the socket. */
  bytesSent = 0;
  /** Most request streams open at once (opened, not yet answered or reset). */
  maxOpenStreams = 0;
  readonly whenClosed: Promise<void>;
  #input: Buffer = Buffer.alloc(0);
  #prefaceSeen = false;
  readonly #decoder = new HpackDecoder();
  #openBlock: { stream: ClientStream; fragments: Buffer[]; endStream: boolean } | null = null;
  readonly #waiters = new Set<Waiter>();
  #barriers = 0;

  constructor(socket: tls.TLSSocket, index: number, autoRespond: boolean | RequestHandler) {
    this.socket = socket;
    this.index = index;
    this.autoRespond = autoRespond;
    socket.on("error", () => {});
    this.whenClosed = new Promise((resolve) =>
      socket.once("close", () => {
        this.closed = true;
        this.#notify();
        resolve();
      }),
    );
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
  }

  /** Write raw bytes (frames) to the client; false once the connection is gone. */
  send(...chunks: Buffer[]): boolean {
    if (this.closed || this.socket.destroyed) return false;
    const data = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    this.bytesSent += data.length;
    this.socket.write(data);

    return true;
  }

  /** Write, then wait until the socket has room again (for streams of many frames). */
  async sendPaced(data: Buffer): Promise<boolean> {
    if (this.closed || this.socket.destroyed) return false;
    this.bytesSent += data.length;
    if (this.socket.write(data)) return true;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.socket.off("drain", done);
        this.socket.off("close", done);
        resolve();
      };
      this.socket.once("drain", done);
      this.socket.once("close", done);
    });

    return !this.closed;
  }

  settings(entries: SettingsEntries): void {
    this.send(settingsFrame(entries));
  }

  headers(streamId: number, block: Buffer, flags = FLAG.END_HEADERS | FLAG.END_STREAM): void {
    this.send(frame(FRAME.HEADERS, flags, streamId, block));
  }

  data(streamId: number, payload: string | Buffer, flags = FLAG.END_STREAM): void {
    this.send(frame(FRAME.DATA, flags, streamId, Buffer.from(payload)));
  }

  /** A complete response: HEADERS (static :status, literal fields), then DATA if there is a body. */
  respond(streamId: number, response: ResponseSpec = {}): void {
    const stream = this.streams.get(streamId);
    if (stream) stream.answered = true;
    const block = responseBlock(response.status ?? 200, response.fields ?? []);
    const body = response.body === undefined ? null : Buffer.from(response.body);
    const endStream = body === null || body.length === 0 ? FLAG.END_STREAM : 0;
    const frames = [frame(FRAME.HEADERS, FLAG.END_HEADERS | endStream, streamId, block)];
    if (!endStream) frames.push(frame(FRAME.DATA, FLAG.END_STREAM, streamId, body!));
    this.send(...frames);
  }

  /** 200 with the request's own apns-id, as APNs answers a success. */
  respondOk(streamId: number): void {
    const apnsId = this.field(streamId, "apns-id");
    this.respond(streamId, { fields: apnsId === undefined ? [] : [["apns-id", apnsId]] });
  }

  /** A decoded request header of a stream. */
  field(streamId: number, name: string): string | undefined {
    return this.streams.get(streamId)?.fields.find(([n]) => n === name)?.[1];
  }

  /** Request streams in the order the client opened them. */
  get streamIds(): number[] {
    return [...this.streams.keys()];
  }

  /** Total DATA payload the client sent on one stream, or on all streams. */
  dataBytes(streamId?: number): number {
    let total = 0;
    for (const stream of this.streams.values()) {
      if (streamId === undefined || stream.id === streamId) total += stream.bodyBytes;
    }

    return total;
  }

  /** The client's frames of one type (and stream). */
  framesOf(type: number, streamId?: number): ClientFrame[] {
    return this.frames.filter(
      (f) => f.type === type && (streamId === undefined || f.streamId === streamId),
    );
  }

  /** The client's first GOAWAY: its last stream id and error code. */
  clientGoaway(): { lastStreamId: number; code: number } | null {
    const goaway = this.frames.find((f) => f.type === FRAME.GOAWAY && f.payload.length >= 8);

    return goaway
      ? {
          lastStreamId: goaway.payload.readUInt32BE(0) & 0x7fffffff,
          code: goaway.payload.readUInt32BE(4),
        }
      : null;
  }

  /** The client's RST_STREAM frames as [stream id, error code]. */
  clientResets(): [number, number][] {
    return this.framesOf(FRAME.RST_STREAM)
      .filter((f) => f.payload.length === 4)
      .map((f) => [f.streamId, f.payload.readUInt32BE(0)]);
  }

  /**
   * Resolve with `check()`'s value once it is truthy, re-checked whenever client frames arrive.
   * Rejects when the connection closes first, or after `timeoutMs`: a script never hangs.
   */
  until<T>(check: () => T, timeoutMs = 3000, what = "the client"): Promise<NonNullable<T>> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        test: () => {
          let value: T;
          try {
            value = check();
          } catch (error) {
            reject(error);

            return true;
          }
          if (value) {
            resolve(value as NonNullable<T>);

            return true;
          }
          if (this.closed) {
            reject(new Error(`scripted peer: connection closed while waiting for ${what}`));

            return true;
          }

          return false;
        },
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(new Error(`scripted peer: no ${what} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      if (waiter.test()) return clearTimeout(waiter.timer);
      this.#waiters.add(waiter);
    });
  }

  /** The client's request stream with this id, once its request is complete (END_STREAM). */
  request(streamId: number, timeoutMs = 3000): Promise<ClientStream> {
    return this.until(
      () => {
        const stream = this.streams.get(streamId);

        return stream?.ended ? stream : undefined;
      },
      timeoutMs,
      `the request on stream ${streamId}`,
    );
  }

  /** The client's HEADERS on this stream (body possibly still to come). */
  opened(streamId: number, timeoutMs = 3000): Promise<ClientStream> {
    return this.until(() => this.streams.get(streamId), timeoutMs, `HEADERS on ${streamId}`);
  }

  /**
   * Send a PING (after `before`, if given) and wait for its ACK: everything the client wrote in
   * reaction to our earlier frames is then in `frames`. False when the connection closed instead.
   */
  async barrier(timeoutMs = 3000, ...before: Buffer[]): Promise<boolean> {
    if (this.closed) return false;
    const payload = Buffer.from("barrier\0");
    payload.writeUInt8(this.#barriers++ & 0xff, 7);
    // `before` goes in the same write: the client reads both at once, so a client that hangs up
    // on `before` leaves no unread bytes behind (which would turn its FIN into an RST and could
    // lose its GOAWAY on the way).
    this.send(...before, pingFrame(payload));
    try {
      await this.until(
        () =>
          this.frames.find(
            (f) => f.type === FRAME.PING && f.flags & FLAG.ACK && f.payload.equals(payload),
          ),
        timeoutMs,
        "the ACK of our PING",
      );

      return true;
    } catch (error) {
      if (this.closed) return false;
      throw error;
    }
  }

  /** Resolves once the connection is closed; rejects after `timeoutMs`. */
  closedWithin(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`scripted peer: connection still open after ${timeoutMs} ms`)),
        timeoutMs,
      );
      void this.whenClosed.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  #onData(chunk: Buffer): void {
    let data: Buffer = this.#input.length === 0 ? chunk : Buffer.concat([this.#input, chunk]);
    if (!this.#prefaceSeen) {
      if (data.length < PREFACE.length) {
        this.#input = data;

        return;
      }
      if (!data.subarray(0, PREFACE.length).equals(PREFACE)) {
        this.problems.push("the client's connection preface is wrong");
        this.socket.destroy();

        return;
      }
      this.#prefaceSeen = true;
      data = data.subarray(PREFACE.length);
    }
    let pos = 0;
    while (data.length - pos >= 9) {
      const length = data.readUIntBE(pos, 3);
      if (data.length - pos < 9 + length) break;
      this.#onFrame({
        type: data[pos + 3],
        flags: data[pos + 4],
        streamId: data.readUInt32BE(pos + 5) & 0x7fffffff,
        payload: data.subarray(pos + 9, pos + 9 + length),
      });
      pos += 9 + length;
    }
    this.#input = data.subarray(pos);
    this.#notify();
  }

  #onFrame(f: ClientFrame): void {
    this.frames.push(f);
    switch (f.type) {
      case FRAME.HEADERS: {
        const stream: ClientStream = {
          id: f.streamId,
          block: Buffer.alloc(0),
          fields: [],
          body: [],
          bodyBytes: 0,
          ended: false,
          resetCode: null,
          answered: false,
        };
        this.streams.set(f.streamId, stream);
        let fragment = f.payload;
        if (f.flags & FLAG.PADDED) fragment = fragment.subarray(1, fragment.length - fragment[0]);
        if (f.flags & FLAG.PRIORITY) fragment = fragment.subarray(5);
        this.#openBlock = {
          stream,
          fragments: [fragment],
          endStream: (f.flags & FLAG.END_STREAM) !== 0,
        };
        if (f.flags & FLAG.END_HEADERS) this.#endBlock();
        break;
      }
      case FRAME.CONTINUATION:
        if (!this.#openBlock || this.#openBlock.stream.id !== f.streamId) {
          this.problems.push(`CONTINUATION on ${f.streamId} without its HEADERS`);
          break;
        }
        this.#openBlock.fragments.push(f.payload);
        if (f.flags & FLAG.END_HEADERS) this.#endBlock();
        break;
      case FRAME.DATA: {
        const stream = this.streams.get(f.streamId);
        if (!stream) {
          this.problems.push(`DATA on ${f.streamId}, which the client never opened`);
          break;
        }
        stream.body.push(f.payload);
        stream.bodyBytes += f.payload.length;
        if (f.flags & FLAG.END_STREAM) this.#ended(stream);
        break;
      }
      case FRAME.RST_STREAM: {
        const stream = this.streams.get(f.streamId);
        if (stream && f.payload.length === 4) stream.resetCode = f.payload.readUInt32BE(0);
        this.#countOpen();
        break;
      }
      case FRAME.SETTINGS:
        if (!(f.flags & FLAG.ACK) && this.ackSettings)
          this.send(frame(FRAME.SETTINGS, FLAG.ACK, 0));
        break;
      case FRAME.PING:
        if (!(f.flags & FLAG.ACK) && this.answerPings) this.send(pingFrame(f.payload, FLAG.ACK));
        break;
      default:
    }
  }

  #endBlock(): void {
    const open = this.#openBlock!;
    this.#openBlock = null;
    open.stream.block = Buffer.concat(open.fragments);
    try {
      this.#decoder.decode(open.stream.block, (name, value) =>
        open.stream.fields.push([name, value]),
      );
    } catch (error) {
      this.problems.push(`stream ${open.stream.id}: ${(error as Error).message}`);
    }
    this.#countOpen();
    if (open.endStream) this.#ended(open.stream);
  }

  #ended(stream: ClientStream): void {
    stream.ended = true;
    if (stream.answered || stream.resetCode !== null) return;
    if (this.autoRespond === true) this.respondOk(stream.id);
    else if (this.autoRespond) this.autoRespond(stream, this);
  }

  #countOpen(): void {
    let open = 0;
    for (const stream of this.streams.values()) {
      if (!stream.answered && stream.resetCode === null) open++;
    }
    this.maxOpenStreams = Math.max(this.maxOpenStreams, open);
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) {
      if (!waiter.test()) continue;
      clearTimeout(waiter.timer);
      this.#waiters.delete(waiter);
    }
  }
}

export type PeerOptions = {
  /** The SETTINGS frame the server opens with; null to send nothing (the script decides). */
  settings?: SettingsEntries | null;
  /** Answer every complete request with 200, or call this on each (default false: the script answers). */
  autoRespond?: boolean | RequestHandler;
  /** Acknowledge the client's SETTINGS (default true; false for a server that sends nothing). */
  ackSettings?: boolean;
  /** Offer "h2" by ALPN (default true; false for a TLS server that speaks no HTTP/2). */
  offerH2?: boolean;
  /**
   * Called as each connection is accepted, after the opening SETTINGS (if any) and before any of
   * the client's bytes are read: to send frames ahead of the preface (with `settings: null`), to
   * pause the socket, or to script a connection by its index.
   */
  onSession?: (session: PeerSession) => void;
};

let material: ServerTls | undefined;

/** One throwaway CA and server certificate per test process (RSA keygen takes a while). */
export function peerTls(): ServerTls {
  return (material ??= generateServerTls());
}

export class ScriptedPeer {
  /** Every TLS connection accepted, in order: its length is how many the peer has seen. */
  readonly sessions: PeerSession[] = [];
  readonly #server: tls.Server;
  readonly #waiting: ((session: PeerSession) => void)[] = [];

  private constructor(server: tls.Server) {
    this.#server = server;
  }

  static async start(options: PeerOptions = {}): Promise<ScriptedPeer> {
    const { certPem, keyPem } = peerTls();
    const settings = options.settings === undefined ? [] : options.settings;
    const alpn = options.offerH2 === false ? {} : { ALPNProtocols: ["h2"] };
    const server = tls.createServer({ cert: certPem, key: keyPem, ...alpn });
    const peer = new ScriptedPeer(server);
    server.on("secureConnection", (socket) => {
      const session = new PeerSession(
        socket,
        peer.sessions.length + 1,
        options.autoRespond ?? false,
      );
      peer.sessions.push(session);
      session.ackSettings = options.ackSettings ?? true;
      if (settings) session.send(settingsFrame(settings));
      options.onSession?.(session);
      peer.#waiting.shift()?.(session);
    });
    server.on("tlsClientError", () => {});
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

    return peer;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** The session of the next connection to arrive: call it before the client connects. */
  nextSession(timeoutMs = 3000): Promise<PeerSession> {
    return new Promise((resolve, reject) => {
      const waiter = (session: PeerSession) => {
        clearTimeout(timer);
        resolve(session);
      };
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        reject(new Error("scripted peer: no connection arrived"));
      }, timeoutMs);
      this.#waiting.push(waiter);
    });
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

// ---------------------------------------------------------------------------------------------
// The client side: an ApnsConnection to the peer, and requests whose settling is recorded.

export type ClientOptions = {
  maxStreams?: number;
  pingIntervalMs?: number;
  connectTimeoutMs?: number;
};

/** One request: its result, when it settled, and how often `done` was called (must be once). */
export type SentRequest = {
  result: Promise<RawResult>;
  startedAt: number;
  settledAt: number | null;
  calls: number;
  timeoutMs: number;
};

export const DEFAULT_REQUEST: ApnsRequest = {
  path: "/3/device/abc",
  headers: {},
  apnsId: "00000000-0000-0000-0000-000000000000",
};

export class TestClient {
  readonly connection: ApnsConnection;
  /** Called on every onChange of the connection. */
  readonly listeners = new Set<() => void>();

  constructor(peer: ScriptedPeer, options: ClientOptions = {}) {
    const port = peer.port;
    this.connection = new ApnsConnection({
      endpoint: { host: "127.0.0.1", port, authority: `127.0.0.1:${port}` },
      tls: { ca: [peerTls().caPem] },
      maxStreams: options.maxStreams ?? 1000,
      pingIntervalMs: options.pingIntervalMs ?? 60_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 3000,
      onChange: () => this.listeners.forEach((listener) => listener()),
    });
  }

  /** Resolves once `check` holds (re-checked on onChange and every 5 ms); rejects after `timeoutMs`. */
  until(check: () => boolean, timeoutMs = 3000, what = "the connection"): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = (error?: Error) => {
        clearInterval(poll);
        clearTimeout(timer);
        this.listeners.delete(test);
        if (error) reject(error);
        else resolve();
      };
      const test = () => {
        if (check()) finish();
      };
      const poll = setInterval(test, 5);
      const timer = setTimeout(
        () => finish(new Error(`client: no ${what} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.listeners.add(test);
      test();
    });
  }

  /** Wait until the connection is ready (true) or closed without becoming ready (false). */
  async opened(timeoutMs = 3000): Promise<boolean> {
    await this.until(() => this.connection.state !== "connecting", timeoutMs, "ready or closed");

    return this.connection.connectError === null;
  }

  send(
    request: Partial<ApnsRequest> = {},
    body: Uint8Array = Buffer.from("{}"),
    timeoutMs = 1000,
  ): SentRequest {
    const sent = { startedAt: Date.now(), settledAt: null, calls: 0, timeoutMs } as SentRequest;
    sent.result = new Promise((resolve) =>
      this.connection.request({ ...DEFAULT_REQUEST, ...request }, body, timeoutMs, (result) => {
        sent.calls++;
        sent.settledAt ??= Date.now();
        resolve(result);
      }),
    );

    return sent;
  }

  close(): Promise<void> {
    return this.connection.close(50);
  }
}

/** `promise`'s value, or `onTimeout` after `ms`. */
export function within<T, U>(promise: Promise<T>, ms: number, onTimeout: U): Promise<T | U> {
  let timer: NodeJS.Timeout | undefined;

  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<U>((resolve) => {
      timer = setTimeout(() => resolve(onTimeout), ms);
    }),
  ]);
}
