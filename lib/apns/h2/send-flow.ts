// Send-side flow control (RFC 9113 §5.2, §6.9.1): request bodies go out as far as the connection's
// and their own stream's windows allow; the rest waits for WINDOW_UPDATE frames, and when the
// connection's window opens the oldest waiting body goes first. One stream's closed window never
// holds back another's body.

import type { ByteWriter } from "./byte-writer";
import {
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_WINDOW_SIZE,
  ERROR_CODE,
  FLAG,
  FRAME,
  H2ProtocolError,
  MAX_WINDOW_SIZE,
} from "./frames";

/** What flow control needs of a stream: its window and the body still to send. */
export type FlowStream = {
  readonly id: number;
  sendWindow: number;
  unsent: Uint8Array | null;
  unsentOffset: number;
};

export class SendFlow {
  /** The peer's SETTINGS_MAX_FRAME_SIZE: no DATA frame is larger. */
  maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  #connectionWindow = DEFAULT_WINDOW_SIZE;
  #blocked: FlowStream[] = [];
  readonly #out: ByteWriter;

  constructor(out: ByteWriter) {
    this.#out = out;
  }

  /** Start sending `stream.unsent`; whatever the windows do not allow yet waits its turn. */
  send(stream: FlowStream): void {
    // Try it at once: while the connection window is open, every body still waiting is held by
    // its own stream's window, and must not hold this one back.
    if (!this.#write(stream)) this.#blocked.push(stream);
  }

  /** A WINDOW_UPDATE for the connection (stream 0). */
  growConnectionWindow(increment: number): void {
    this.#connectionWindow += increment;
    if (this.#connectionWindow > MAX_WINDOW_SIZE) {
      throw new H2ProtocolError(ERROR_CODE.FLOW_CONTROL_ERROR, "connection window overflow");
    }
  }

  /** Send what waiting bodies the windows now allow (after any window grew). */
  drain(): void {
    if (this.#blocked.length === 0) return;
    const still: FlowStream[] = [];
    for (const stream of this.#blocked) {
      if (!stream.unsent) continue;
      if (this.#connectionWindow <= 0 || !this.#write(stream)) still.push(stream);
    }
    this.#blocked = still;
  }

  /** Stop sending a stream's body (it was answered, reset or timed out); the others go on. */
  drop(stream: FlowStream): void {
    if (!stream.unsent) return;
    stream.unsent = null;
    const at = this.#blocked.indexOf(stream);
    if (at !== -1) this.#blocked.splice(at, 1);
    this.drain();
  }

  clear(): void {
    this.#blocked = [];
  }

  /** Write what the windows allow of the stream's body; true when all of it is out. */
  #write(stream: FlowStream): boolean {
    const body = stream.unsent!;
    while (stream.unsentOffset < body.length) {
      const size = Math.min(
        body.length - stream.unsentOffset,
        this.#connectionWindow,
        stream.sendWindow,
        this.maxFrameSize,
      );
      if (size <= 0) return false;
      const end = stream.unsentOffset + size;
      this.#out.frameHeader(size, FRAME.DATA, end === body.length ? FLAG.END_STREAM : 0, stream.id);
      this.#out.bytes(body, stream.unsentOffset, end);
      this.#connectionWindow -= size;
      stream.sendWindow -= size;
      stream.unsentOffset = end;
    }
    stream.unsent = null;

    return true;
  }
}
