import { describe, expect, it } from "vitest";

import type { Notification, SendOutcome } from "./outcome";
import { sendMany } from "./send-many";

const n = (i: number): Notification => ({
  deviceToken: String(i),
  headers: { "apns-push-type": "alert" },
  body: "{}",
});
const ok = (attempts = 1): SendOutcome => ({ ok: true, status: 200, apnsId: "id", attempts });

/** A fake `send` whose requests stay pending until the test resolves them. */
function manualSend() {
  const pending: Array<{ notification: Notification; resolve: (o: SendOutcome) => void }> = [];
  let peak = 0;
  const send = (notification: Notification) =>
    new Promise<SendOutcome>((resolve) => {
      pending.push({ notification, resolve });
      peak = Math.max(peak, pending.length);
    });

  return { send, pending, peak: () => peak };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("sendMany", () => {
  it("pulls from the source only while the window has room", async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield n(i);
      }
    }
    const fake = manualSend();
    const iterator = sendMany(fake.send, source(), { window: 10 })[Symbol.asyncIterator]();
    const first = iterator.next();
    await tick();
    expect([pulled, fake.pending.length]).toStrictEqual([10, 10]);

    fake.pending.shift()!.resolve(ok());
    expect((await first).value?.notification.deviceToken).toBe("0");
    await tick();
    expect(pulled).toBe(11);

    // Finished but unread outcomes also hold the window: memory stays bounded by a slow reader.
    for (const p of fake.pending.splice(0)) p.resolve(ok());
    await tick();
    expect(pulled).toBe(11);
  });

  it("yields every outcome once, in completion order, with at most `window` in flight", async () => {
    const fake = manualSend();
    const seen: string[] = [];
    const run = (async () => {
      for await (const { notification, outcome } of sendMany(
        fake.send,
        Array.from({ length: 50 }, (_, i) => n(i)),
        { window: 7 },
      )) {
        expect(outcome.ok).toBe(true);
        seen.push(notification.deviceToken);
      }
    })();
    while (seen.length < 50) {
      await tick();
      // Complete the newest first, to show outcomes are not forced into source order.
      fake.pending.pop()?.resolve(ok());
    }
    await run;
    expect(fake.peak()).toBe(7);
    expect(new Set(seen).size).toBe(50);
    expect(seen.slice(0, 2)).toStrictEqual(["6", "7"]);
  });

  it("finishes what it took, then rethrows a source error", async () => {
    async function* broken() {
      yield n(1);
      yield n(2);
      throw new Error("cursor lost");
    }
    const done: string[] = [];
    const consume = async () => {
      for await (const item of sendMany(async () => ok(), broken(), { window: 5 }))
        done.push(item.notification.deviceToken);
    };
    await expect(consume()).rejects.toThrow("cursor lost");
    expect(done.sort()).toStrictEqual(["1", "2"]);
  });

  it("closes the source when the reader stops early", async () => {
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; ; i++) yield n(i);
      } finally {
        closed = true;
      }
    }
    for await (const _ of sendMany(async () => ok(), source(), { window: 3 })) break;
    expect(closed).toBe(true);
  });
});
