// HTTP/2 frame types, flags, settings and error codes (RFC 9113 §6, §7), and a reader that cuts
// the incoming byte stream into frames without copying them.

export const FRAME = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

export const FLAG = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

export const SETTING = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const;

export const ERROR_CODE = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  SETTINGS_TIMEOUT: 0x4,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  ENHANCE_YOUR_CALM: 0xb,
} as const;

/** The client connection preface (§3.4). */
export const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

export const DEFAULT_MAX_FRAME_SIZE = 16_384;
export const DEFAULT_WINDOW_SIZE = 65_535;
export const MAX_WINDOW_SIZE = 2 ** 31 - 1;

/** A connection error (§5.4.1): the connection must end with GOAWAY carrying `code`. */
export class H2ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export type FrameHandler = (type: number, flags: number, streamId: number, payload: Buffer) => void;

/**
 * Cuts socket data into frames. Frames are handed out as views of the socket's buffers; only a
 * frame split across two reads is copied.
 */
export class FrameReader {
  /** Bytes of an incomplete frame, kept as the chunks they came in until the frame is whole. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Bytes the incomplete frame needs in all (header included), once its header is known. */
  #needed = 9;
  readonly #maxFrameSize: number;
  readonly #onFrame: FrameHandler;

  /** `maxFrameSize` is our SETTINGS_MAX_FRAME_SIZE: the server may not send larger frames. */
  constructor(maxFrameSize: number, onFrame: FrameHandler) {
    this.#maxFrameSize = maxFrameSize;
    this.#onFrame = onFrame;
  }

  push(chunk: Buffer): void {
    let data = chunk;
    if (this.#pendingBytes > 0) {
      // Join only once the frame can be complete: a frame trickling in a byte at a time costs
      // one copy, not one per byte.
      this.#pending.push(chunk);
      this.#pendingBytes += chunk.length;
      if (this.#pendingBytes < this.#needed) return;
      data = Buffer.concat(this.#pending, this.#pendingBytes);
      this.#pending = [];
      this.#pendingBytes = 0;
    }
    let pos = 0;
    while (data.length - pos >= 9) {
      const length = (data[pos] << 16) | (data[pos + 1] << 8) | data[pos + 2];
      if (length > this.#maxFrameSize) {
        throw new H2ProtocolError(ERROR_CODE.FRAME_SIZE_ERROR, `frame of ${length} bytes`);
      }
      if (data.length - pos < 9 + length) break;
      const type = data[pos + 3];
      const flags = data[pos + 4];
      const streamId = data.readUInt32BE(pos + 5) & 0x7fffffff;
      this.#onFrame(type, flags, streamId, data.subarray(pos + 9, pos + 9 + length));
      pos += 9 + length;
    }
    if (pos < data.length) {
      const rest = data.subarray(pos);
      this.#pending = [rest];
      this.#pendingBytes = rest.length;
      this.#needed = rest.length >= 9 ? 9 + ((rest[0] << 16) | (rest[1] << 8) | rest[2]) : 9;
    }
  }
}

/** Strip the padding of a PADDED frame (§6.1, §6.2); returns the payload without it. */
export function unpad(flags: number, payload: Buffer): Buffer {
  if ((flags & FLAG.PADDED) === 0) return payload;
  if (payload.length < 1) throw new H2ProtocolError(ERROR_CODE.FRAME_SIZE_ERROR, "padded frame");
  const padding = payload[0];
  if (padding >= payload.length) {
    throw new H2ProtocolError(ERROR_CODE.PROTOCOL_ERROR, "padding longer than the frame");
  }

  return payload.subarray(1, payload.length - padding);
}
