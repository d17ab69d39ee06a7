// One long-lived HTTP/2 connection to APNs (docs/apns.md §1, §8), speaking HTTP/2 itself over a
// TLS socket (RFC 9113 client side, HPACK from ./h2). Built on node:http2's client, the sender spent
// about 6× the CPU per notification (bench:apns, same machine: 240 µs against 40 µs) on stream
// objects, async hooks and header objects; APNs needs only a narrow slice of HTTP/2
// (client-initiated POSTs, small bodies, no push), which this does directly.
// - Apple treats rapid connect/disconnect as denial of service: keep it open, PING when idle.
// - Honour SETTINGS_MAX_CONCURRENT_STREAMS as the server changes it (1 until the first
//   authenticated success, then more): `capacity` never exceeds what the server allows.
// - GOAWAY: streams up to lastStreamId finish; later ones were never processed ("Refused").
// - Every frame written during one event-loop turn leaves in a single socket write.
// A request resolves to a RawResult and never rejects.

import tls from "node:tls";

import { ByteWriter } from "./h2/byte-writer";
import {
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_WINDOW_SIZE,
  ERROR_CODE,
  FLAG,
  FRAME,
  FrameReader,
  H2ProtocolError,
  MAX_WINDOW_SIZE,
  PREFACE,
  SETTING,
  unpad,
} from "./h2/frames";
import { SendFlow } from "./h2/send-flow";
import { InFlight, Stream, type RawCallback, type RawFailure } from "./in-flight";
import { RequestHeaderWriter, type ApnsRequest } from "./request-headers";
import { ResponseHeaderReader, type HeaderBlock } from "./response-headers";
import { classifyTransportError } from "./transport-reasons";

import type { Connection, ConnectionOptions, ConnectionState, GoawayInfo } from "./transport";

export type { RawFailure, RawResponse, RawResult } from "./in-flight";
export type { ApnsRequest } from "./request-headers";

/** Our receive windows: large, so APNs never waits on us; updates go out at half. */
const STREAM_RECEIVE_WINDOW = 1 << 20;
const CONNECTION_RECEIVE_WINDOW = 1 << 24;
const MAX_STREAM_ID = 2 ** 31 - 1;
const REFUSED: RawFailure = { kind: "failure", reason: "Refused" };
const TIMEOUT: RawFailure = { kind: "failure", reason: "Timeout" };
const NOT_SENT: RawFailure = { kind: "failure", reason: "NotSent" };

export class ApnsConnection implements Connection {
  state: ConnectionState = "connecting";
  /** Set when the connection failed before it was ever ready. */
  connectError: RawFailure | null = null;
  /** The server's first GOAWAY, with the reason in its debug data (e.g. "Shutdown"). */
  goaway: GoawayInfo | null = null;
  readonly #options: ConnectionOptions;
  readonly #socket: tls.TLSSocket;
  readonly #reader: FrameReader;
  readonly #inFlight: InFlight;
  readonly #responseHeaders = new ResponseHeaderReader();
  readonly #out = new ByteWriter();
  readonly #headerWriter: RequestHeaderWriter;
  readonly #flow = new SendFlow(this.#out);
  #flushScheduled = false;
  /** The socket's write buffer is full: wait for "drain" before writing more. */
  #writeBlocked = false;
  /** Recently reset streams (ours), whose late DATA is expected; oldest dropped past 1,024. */
  readonly #resetByUs = new Set<number>();
  /** The server's first frame must be its SETTINGS (RFC 9113 §3.4). */
  #settingsReceived = false;
  /** Streams with ids up to this have been handed to the socket. */
  #flushedStreamId = 0;
  #nextStreamId = 1;
  #serverMaxStreams = 1;
  #peerInitialWindow = DEFAULT_WINDOW_SIZE;
  #receivedUnacked = 0;
  #goawayLastStreamId = MAX_STREAM_ID;
  #socketError: unknown = undefined;
  #pingOutstanding = false;
  #ping: NodeJS.Timeout | null = null;
  readonly #connectTimer: NodeJS.Timeout;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    this.#headerWriter = new RequestHeaderWriter(options.endpoint.authority);
    this.#inFlight = new InFlight(
      options.onChange,
      (stream) => this.#cancel(stream),
      // A request whose last byte never reached the socket cannot have been processed.
      (stream) => (stream.unsent || stream.id > this.#flushedStreamId ? NOT_SENT : TIMEOUT),
    );
    this.#reader = new FrameReader(DEFAULT_MAX_FRAME_SIZE, (type, flags, id, payload) =>
      this.#onFrame(type, flags, id, payload),
    );
    const { endpoint, tls: material } = options;
    this.#socket = tls.connect({
      host: endpoint.host,
      port: endpoint.port,
      servername: endpoint.servername,
      ALPNProtocols: ["h2"],
      ...material,
      pfx: material.pfx ? Buffer.from(material.pfx) : undefined,
    });
    this.#connectTimer = setTimeout(() => {
      this.#fail(Object.assign(new Error("connect timeout"), { code: "ETIMEDOUT" }));
    }, options.connectTimeoutMs);
    this.#connectTimer.unref();

    this.#socket.once("secureConnect", () => this.#onSecureConnect());
    this.#socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    this.#socket.on("error", (error) => this.#fail(error));
    this.#socket.once("close", () => this.#closed());
  }

  /** How many more streams may be opened now. */
  get capacity(): number {
    if (this.state !== "ready" || this.#writeBlocked) return 0;

    return Math.max(0, Math.min(this.#serverMaxStreams, this.#options.maxStreams) - this.active);
  }

  /** Streams in flight. */
  get active(): number {
    return this.#inFlight.size;
  }

  /** Send one request; `done` gets exactly one result, a response or a classified failure. */
  request(request: ApnsRequest, body: Uint8Array, timeoutMs: number, done: RawCallback): void {
    const id = this.#nextStreamId;
    if (this.state !== "ready" || id > MAX_STREAM_ID) {
      // Closed between the caller's capacity check and now, or out of stream ids: nothing sent.
      if (id > MAX_STREAM_ID) this.retire();
      done(REFUSED);

      return;
    }
    this.#nextStreamId += 2;
    const stream = new Stream(id, Date.now() + timeoutMs, done, this.#peerInitialWindow);
    this.#inFlight.add(stream, timeoutMs);
    this.#headerWriter.write(this.#out, id, request, body.length === 0, this.#flow.maxFrameSize);
    if (body.length > 0) {
      stream.unsent = body;
      this.#flow.send(stream);
    }
    this.#scheduleFlush();
  }

  /** Stop taking new streams; close once the in-flight ones finish. */
  retire(): void {
    if (this.state === "connecting") {
      this.state = "draining";
      this.#socket.destroy();
    } else if (this.state === "ready") {
      this.state = "draining";
      this.#endIfIdle();
      this.#options.onChange();
    }
  }

  /** Close gracefully; after `graceMs` in-flight streams are cut. */
  close(graceMs = 5000): Promise<void> {
    if (this.state === "closed") return Promise.resolve();

    return new Promise((resolve) => {
      const force = setTimeout(() => this.#socket.destroy(), graceMs);
      force.unref();
      this.#socket.once("close", () => {
        clearTimeout(force);
        resolve();
      });
      this.retire();
    });
  }

  #onSecureConnect(): void {
    if (this.#socket.alpnProtocol !== "h2") {
      this.#fail(
        Object.assign(new Error("the server does not speak HTTP/2 (ALPN)"), {
          code: "ERR_APNS_NO_H2",
        }),
      );

      return;
    }
    this.#socket.setNoDelay(true);
    const out = this.#out;
    out.bytes(PREFACE);
    out.frameHeader(18, FRAME.SETTINGS, 0, 0);
    for (const [id, value] of [
      [SETTING.ENABLE_PUSH, 0],
      [SETTING.INITIAL_WINDOW_SIZE, STREAM_RECEIVE_WINDOW],
      [SETTING.MAX_FRAME_SIZE, DEFAULT_MAX_FRAME_SIZE],
    ]) {
      out.u8(0);
      out.u8(id);
      out.u32(value);
    }
    this.#windowUpdate(0, CONNECTION_RECEIVE_WINDOW - DEFAULT_WINDOW_SIZE);
    this.#flush();
    // Ready once the server's SETTINGS arrive: only then are its limits known.
  }

  #onData(chunk: Buffer): void {
    try {
      this.#reader.push(chunk);
    } catch (error) {
      // Whatever the peer sent, a malformed frame ends this connection, never the process.
      return this.#protocolError(
        error instanceof H2ProtocolError
          ? error
          : new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, String((error as Error)?.message)),
      );
    }
    if (this.#receivedUnacked >= CONNECTION_RECEIVE_WINDOW / 2) {
      this.#windowUpdate(0, this.#receivedUnacked);
      this.#receivedUnacked = 0;
    }
    this.#scheduleFlush();
  }

  #onFrame(type: number, flags: number, streamId: number, payload: Buffer): void {
    if (!this.#settingsReceived) {
      if (type !== FRAME.SETTINGS || flags & FLAG.ACK) {
        throw new H2ProtocolError(
          ERROR_CODE.PROTOCOL_ERROR,
          "the server's first frame is not SETTINGS",
        );
      }
      this.#settingsReceived = true;
    }
    if (this.#responseHeaders.expectsContinuation && type !== FRAME.CONTINUATION) {
      throw new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, "expected CONTINUATION");
    }
    // Unknown frame types are ignored wherever they come (§4.1, §5.5).
    if (
      streamId !== 0 &&
      type <= FRAME.CONTINUATION &&
      type !== FRAME.PRIORITY &&
      this.#isIdle(streamId)
    ) {
      // A stream we never opened (the server opens none: push is off) is idle (§5.1, §5.1.1).
      throw new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, `frame on idle stream ${streamId}`);
    }
    switch (type) {
      case FRAME.DATA:
        return this.#onDataFrame(flags, streamId, payload);
      case FRAME.PRIORITY:
        return this.#onPriority(streamId, payload);
      case FRAME.HEADERS:
        return this.#onHeaderBlock(this.#responseHeaders.headers(flags, streamId, payload));
      case FRAME.CONTINUATION:
        return this.#onHeaderBlock(this.#responseHeaders.continuation(flags, streamId, payload));
      case FRAME.RST_STREAM:
        return this.#onRstStream(streamId, payload);
      case FRAME.SETTINGS:
        return this.#onSettings(flags, streamId, payload);
      case FRAME.PING:
        return this.#onPing(flags, streamId, payload);
      case FRAME.GOAWAY:
        return this.#onGoaway(streamId, payload);
      case FRAME.WINDOW_UPDATE:
        return this.#onWindowUpdate(streamId, payload);
      case FRAME.PUSH_PROMISE:
        // We sent ENABLE_PUSH = 0 (§8.4).
        throw new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, "PUSH_PROMISE with push disabled");
      default:
      // PRIORITY and unknown frame types are ignored (§5.5, §6.3).
    }
  }

  #onDataFrame(flags: number, streamId: number, payload: Buffer): void {
    if (streamId === 0) throw new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, "DATA on stream 0");
    // The whole frame, padding included, counts against flow control (§6.9.1).
    this.#receivedUnacked += payload.length;
    const data = unpad(flags, payload);
    const stream = this.#inFlight.get(streamId);
    if (!stream) {
      // Settled already. After our RST_STREAM the server may still have had frames in flight;
      // after the server's own END_STREAM it may not send more (§6.1): tell it so. The bytes
      // count for the connection's window either way.
      if (!this.#resetByUs.has(streamId)) this.#rstStream(streamId, ERROR_CODE.STREAM_CLOSED);

      return;
    }
    stream.addBody(data);
    if (flags & FLAG.END_STREAM) return this.#complete(stream);
    stream.received += payload.length;
    if (stream.received >= STREAM_RECEIVE_WINDOW / 2) {
      this.#windowUpdate(stream.id, stream.received);
      stream.received = 0;
    }
  }

  #onHeaderBlock(header: HeaderBlock | null): void {
    if (!header) return;
    const stream = this.#inFlight.get(header.streamId);
    this.#responseHeaders.decode(header.block, stream);
    if (stream && header.flags & FLAG.END_STREAM) this.#complete(stream);
  }

  #complete(stream: Stream): void {
    if (stream.unsent) {
      // APNs answered before reading the whole body (e.g. 413): stop sending it (§8.1).
      this.#flow.drop(stream);
      this.#rstStream(stream.id, ERROR_CODE.NO_ERROR);
    }
    this.#inFlight.settle(
      stream,
      stream.status === 0 ? this.#lostResult(stream) : stream.response(),
    );
    this.#endIfIdle();
  }

  /** PRIORITY is advisory and ignored, but it must be well formed (§6.3). */
  #onPriority(streamId: number, payload: Buffer): void {
    if (streamId === 0) throw new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, "PRIORITY on 0");
    if (payload.length === 5) return;
    const stream = this.#inFlight.get(streamId);
    if (stream) this.#streamError(stream, ERROR_CODE.FRAME_SIZE_ERROR);
    else this.#rstStream(streamId, ERROR_CODE.FRAME_SIZE_ERROR);
  }

  /** Whether `streamId` names a stream that was never opened: even (server-initiated) or ahead of ours. */
  #isIdle(streamId: number): boolean {
    return streamId % 2 === 0 || streamId >= this.#nextStreamId;
  }

  #onRstStream(streamId: number, payload: Buffer): void {
    if (streamId === 0) throw new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, "RST_STREAM on 0");
    if (payload.length !== 4) throw new H2ProtocolError(ERROR_CODE.FRAME_SIZE_ERROR, "RST_STREAM");
    const stream = this.#inFlight.get(streamId);
    if (!stream) return;
    const code = payload.readUInt32BE(0);
    this.#flow.drop(stream);
    this.#inFlight.settle(
      stream,
      code === ERROR_CODE.REFUSED_STREAM
        ? REFUSED
        : this.#lostResult(
            stream,
            Object.assign(new Error(`stream reset by the server (code ${code})`), {
              code: "ERR_HTTP2_STREAM_ERROR",
            }),
          ),
    );
    this.#endIfIdle();
  }

  #onSettings(flags: number, streamId: number, payload: Buffer): void {
    if (streamId !== 0)
      throw new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, "SETTINGS on a stream");
    if (flags & FLAG.ACK) {
      if (payload.length !== 0)
        throw new H2ProtocolError(ERROR_CODE.FRAME_SIZE_ERROR, "SETTINGS ACK");

      return;
    }
    if (payload.length % 6 !== 0)
      throw new H2ProtocolError(ERROR_CODE.FRAME_SIZE_ERROR, "SETTINGS");
    const first = this.state === "connecting";
    // Absent MAX_CONCURRENT_STREAMS means "no limit" (our maxStreams still applies).
    if (first) this.#serverMaxStreams = Number.POSITIVE_INFINITY;
    for (let at = 0; at < payload.length; at += 6) {
      this.#applySetting(payload.readUInt16BE(at), payload.readUInt32BE(at + 2));
    }
    this.#out.frameHeader(0, FRAME.SETTINGS, FLAG.ACK, 0);
    this.#flow.drain();
    if (first) {
      clearTimeout(this.#connectTimer);
      this.state = "ready";
      this.#startPing();
    }
    this.#options.onChange();
  }

  #applySetting(id: number, value: number): void {
    switch (id) {
      case SETTING.HEADER_TABLE_SIZE:
        this.#headerWriter.setPeerTableSize(value);
        break;
      case SETTING.MAX_CONCURRENT_STREAMS:
        this.#serverMaxStreams = value;
        break;
      case SETTING.INITIAL_WINDOW_SIZE: {
        if (value > MAX_WINDOW_SIZE) {
          throw new H2ProtocolError(ERROR_CODE.FLOW_CONTROL_ERROR, "INITIAL_WINDOW_SIZE too large");
        }
        // The change applies to every open stream's window, which may not pass 2^31-1 (§6.9.2).
        const delta = value - this.#peerInitialWindow;
        this.#peerInitialWindow = value;
        for (const stream of this.#inFlight.values()) {
          stream.sendWindow += delta;
          if (stream.sendWindow > MAX_WINDOW_SIZE) {
            throw new H2ProtocolError(ERROR_CODE.FLOW_CONTROL_ERROR, "stream window overflow");
          }
        }
        break;
      }
      case SETTING.ENABLE_PUSH:
        // A server may only say 0 (§6.5.2, §8.4).
        if (value !== 0) {
          throw new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, "a server sent ENABLE_PUSH 1");
        }
        break;
      case SETTING.MAX_FRAME_SIZE:
        if (value < DEFAULT_MAX_FRAME_SIZE || value > 16_777_215) {
          throw new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, "MAX_FRAME_SIZE out of range");
        }
        this.#flow.maxFrameSize = value;
        break;
      default:
      // MAX_HEADER_LIST_SIZE and unknown settings need nothing from a client.
    }
  }

  #onPing(flags: number, streamId: number, payload: Buffer): void {
    if (streamId !== 0) throw new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, "PING on a stream");
    if (payload.length !== 8) throw new H2ProtocolError(ERROR_CODE.FRAME_SIZE_ERROR, "PING");
    if (flags & FLAG.ACK) {
      this.#pingOutstanding = false;

      return;
    }
    this.#out.frameHeader(8, FRAME.PING, FLAG.ACK, 0);
    this.#out.bytes(payload);
  }

  #onGoaway(streamId: number, payload: Buffer): void {
    if (streamId !== 0) throw new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, "GOAWAY on a stream");
    if (payload.length < 8) throw new H2ProtocolError(ERROR_CODE.FRAME_SIZE_ERROR, "GOAWAY");
    const lastStreamId = payload.readUInt32BE(0) & 0x7fffffff;
    const code = payload.readUInt32BE(4);
    this.#goawayLastStreamId = Math.min(this.#goawayLastStreamId, lastStreamId);
    // A two-phase shutdown sends a second GOAWAY with a lower lastStreamId; the first one's
    // reason (Apple's debug data) is what explains the connection's end.
    this.goaway ??= { code, lastStreamId, reason: goawayReason(payload) };
    this.goaway.lastStreamId = this.#goawayLastStreamId;
    if (this.state === "connecting" || this.state === "ready") this.state = "draining";
    // Streams above lastStreamId were never processed and will never be answered.
    const refused: RawFailure = { ...REFUSED, goaway: this.goaway };
    for (const stream of [...this.#inFlight.values()]) {
      if (stream.id <= this.#goawayLastStreamId) continue;
      this.#flow.drop(stream);
      this.#inFlight.settle(stream, refused);
    }
    this.#endIfIdle();
    this.#options.onChange();
  }

  #onWindowUpdate(streamId: number, payload: Buffer): void {
    if (payload.length !== 4)
      throw new H2ProtocolError(ERROR_CODE.FRAME_SIZE_ERROR, "WINDOW_UPDATE");
    const increment = payload.readUInt32BE(0) & 0x7fffffff;
    if (streamId === 0) {
      if (increment === 0) {
        throw new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, "WINDOW_UPDATE of 0");
      }
      this.#flow.growConnectionWindow(increment);
    } else {
      const stream = this.#inFlight.get(streamId);
      if (!stream) return;
      if (increment === 0 || stream.sendWindow + increment > MAX_WINDOW_SIZE) {
        // A stream error (§6.9, §6.9.1): that stream ends, the connection and its others go on.
        return this.#streamError(
          stream,
          increment === 0 ? ERROR_CODE.PROTOCOL_ERROR : ERROR_CODE.FLOW_CONTROL_ERROR,
        );
      }
      stream.sendWindow += increment;
    }
    this.#flow.drain();
  }

  /** The server broke the protocol on one stream: reset it; it may have been processed. */
  #streamError(stream: Stream, code: number): void {
    this.#flow.drop(stream);
    this.#rstStream(stream.id, code);
    this.#inFlight.settle(
      stream,
      this.#lostResult(
        stream,
        Object.assign(new Error(`stream error (code ${code}) from the server's frames`), {
          code: "ERR_HTTP2_STREAM_ERROR",
        }),
      ),
    );
    this.#endIfIdle();
  }

  /** A timed-out stream: stop it on the wire too. */
  #cancel(stream: Stream): void {
    this.#flow.drop(stream);
    if (this.state === "closed") return;
    this.#rstStream(stream.id, ERROR_CODE.CANCEL);
    this.#scheduleFlush();
    this.#endIfIdle();
  }

  #rstStream(streamId: number, code: number): void {
    // Frames the server sent before it saw our reset may still arrive; they are not its error.
    this.#resetByUs.add(streamId);
    if (this.#resetByUs.size > 1024) this.#resetByUs.delete(this.#resetByUs.values().next().value!);
    this.#out.frameHeader(4, FRAME.RST_STREAM, 0, streamId);
    this.#out.u32(code);
  }

  #windowUpdate(streamId: number, increment: number): void {
    this.#out.frameHeader(4, FRAME.WINDOW_UPDATE, 0, streamId);
    this.#out.u32(increment);
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#out.length === 0) return;
    this.#flushScheduled = true;
    process.nextTick(() => this.#flush());
  }

  /**
   * Hand what is written to the socket. When the socket's buffer is full (write() says false),
   * frames collect here until it drains, and `capacity` is 0 meanwhile so the pool sends
   * elsewhere; a goodbye (`force`) goes out regardless.
   */
  #flush(force = false): void {
    this.#flushScheduled = false;
    if (this.#out.length === 0 || this.#socket.destroyed) return;
    if (this.#writeBlocked && !force) return;
    const drained = this.#socket.write(this.#out.take());
    this.#flushedStreamId = this.#nextStreamId - 2;
    if (drained || this.#writeBlocked) return;
    this.#writeBlocked = true;
    this.#socket.once("drain", () => {
      this.#writeBlocked = false;
      this.#flush();
      this.#options.onChange();
    });
  }

  /** A draining connection with nothing in flight says goodbye and closes. */
  #endIfIdle(): void {
    if (this.state !== "draining" || this.#inFlight.size > 0 || this.#socket.destroyed) return;
    this.#goaway(ERROR_CODE.NO_ERROR);
    this.#socket.end();
  }

  /** GOAWAY with lastStreamId 0 (the server never opens streams to us), sent at once. */
  #goaway(code: number): void {
    this.#out.frameHeader(8, FRAME.GOAWAY, 0, 0);
    this.#out.u32(0);
    this.#out.u32(code);
    this.#flush(true);
  }

  /** The peer broke the protocol: tell it why (GOAWAY) and drop the connection. */
  #protocolError(error: H2ProtocolError): void {
    if (this.#socket.destroyed) return;
    this.#goaway(error.code);
    this.#fail(Object.assign(error, { code: "ERR_HTTP2_PROTOCOL_ERROR" }));
  }

  /** What a stream that got no (complete) answer became. */
  #lostResult(stream: Stream, error: unknown = this.#socketError): RawFailure {
    // Never sent, or above GOAWAY's lastStreamId: never processed, safe to resend as is.
    const goaway = this.goaway ?? undefined;
    if (stream.id > this.#flushedStreamId || stream.id > this.#goawayLastStreamId) {
      return goaway ? { ...REFUSED, goaway } : REFUSED;
    }
    const reason = classifyTransportError(error, true);
    const lost: RawFailure = {
      kind: "failure",
      reason: reason === "ConnectionError" ? "ConnectionLost" : reason,
      error,
    };
    // After a GOAWAY its reason explains the loss (and may say that resending cannot help).
    if (goaway) lost.goaway = goaway;

    return lost;
  }

  #startPing(): void {
    // Keep the connection alive through idle periods; a PING unanswered for a whole interval means it is dead.
    this.#ping = setInterval(() => {
      if (this.#socket.destroyed) return;
      if (this.#pingOutstanding) {
        this.#fail(Object.assign(new Error("PING not answered"), { code: "ETIMEDOUT" }));

        return;
      }
      this.#pingOutstanding = true;
      this.#out.frameHeader(8, FRAME.PING, 0, 0);
      this.#out.u32(0);
      this.#out.u32(Date.now() % 2 ** 32);
      this.#scheduleFlush();
    }, this.#options.pingIntervalMs);
    this.#ping.unref();
  }

  #fail(error: unknown): void {
    this.#socketError ??= error;
    if (this.state === "connecting") {
      const reason = classifyTransportError(error, false);
      this.connectError = {
        kind: "failure",
        reason: reason === "ConnectionLost" ? "ConnectionError" : reason,
        error,
      };
    }
    if (!this.#socket.destroyed) this.#socket.destroy();
  }

  #closed(): void {
    clearTimeout(this.#connectTimer);
    if (this.state === "connecting" && !this.connectError) {
      this.connectError = { kind: "failure", reason: "ConnectionError", error: this.#socketError };
    }
    this.state = "closed";
    if (this.#ping) clearInterval(this.#ping);
    this.#flow.clear();
    this.#inFlight.settleAll((stream) => this.#lostResult(stream));
    this.#inFlight.stop();
    this.#options.onChange();
  }
}

/** Apple puts `{"reason": "…"}` in GOAWAY's debug data; it is optional and free-form. */
function goawayReason(payload: Buffer): string | undefined {
  if (payload.length <= 8) return undefined;
  try {
    const reason = (JSON.parse(payload.toString("utf8", 8)) as { reason?: unknown }).reason;

    return typeof reason === "string" ? reason : undefined;
  } catch {
    return undefined;
  }
}
