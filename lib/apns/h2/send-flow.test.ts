// Send-side flow control on its own: which DATA frames go out as windows open and close.

import { describe, expect, it } from "vitest";

import { ByteWriter } from "./byte-writer";
import { FLAG, FRAME, FrameReader } from "./frames";
import { SendFlow, type FlowStream } from "./send-flow";

function stream(id: number, bytes: number, window: number): FlowStream {
  return { id, sendWindow: window, unsent: Buffer.alloc(bytes, id), unsentOffset: 0 };
}

/** The DATA frames written so far, as [stream id, length, end of stream]. */
function written(out: ByteWriter): [number, number, boolean][] {
  const frames: [number, number, boolean][] = [];
  new FrameReader(1 << 20, (type, flags, id, payload) => {
    if (type === FRAME.DATA) frames.push([id, payload.length, (flags & FLAG.END_STREAM) !== 0]);
  }).push(Buffer.from(out.take()));

  return frames;
}

describe("SendFlow", () => {
  it("sends a new body at once while an older one waits for its own stream's window", () => {
    const out = new ByteWriter();
    const flow = new SendFlow(out);
    const blocked = stream(1, 5000, 1000);
    flow.send(blocked);
    flow.send(stream(3, 500, 65_535));
    expect(written(out)).toStrictEqual([
      [1, 1000, false],
      [3, 500, true],
    ]);
  });

  it("when a waiting body is dropped (answered early, reset, timed out), the next waiting one goes", () => {
    const out = new ByteWriter();
    const flow = new SendFlow(out);
    // The connection window (65,535) is used up by stream 1, so streams 3 and 5 wait on it.
    const first = stream(1, 70_000, 1 << 20);
    const second = stream(3, 2000, 1 << 20);
    flow.send(first);
    flow.send(second);
    flow.send(stream(5, 100, 1 << 20));
    expect(written(out)).toStrictEqual([
      [1, 16_384, false],
      [1, 16_384, false],
      [1, 16_384, false],
      [1, 16_383, false],
    ]);
    flow.drop(first);
    flow.growConnectionWindow(3000);
    flow.drain();
    // Oldest first once the connection's window opens: stream 3 whole, then what is left for 5.
    expect(written(out)).toStrictEqual([
      [3, 2000, true],
      [5, 100, true],
    ]);
  });

  it("a body dropped while others wait leaves them to go on without another WINDOW_UPDATE", () => {
    const out = new ByteWriter();
    const flow = new SendFlow(out);
    const head = stream(1, 3000, 0); // its own window is shut
    const next = stream(3, 3000, 1000);
    flow.send(head);
    flow.send(next);
    written(out);
    next.sendWindow += 5000; // the server opened stream 3's window while 1 still blocks
    flow.drop(head); // stream 1 was answered early (e.g. 413)
    expect(written(out)).toStrictEqual([[3, 2000, true]]);
  });
});
