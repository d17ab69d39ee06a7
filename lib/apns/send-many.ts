// Stream many notifications through `send` with bounded memory: at most `window`
// notifications are in flight or waiting to be read, and the source is pulled only when
// there is room (a million-token campaign never sits in memory). Outcomes are yielded in
// completion order. A source that throws ends the iteration with that error, after the
// notifications already taken have finished.

import type { Notification, NotificationOutcome, SendOutcome } from "./outcome";
import { Queue } from "./queue";

export type SendManyOptions = {
  /** Notifications in flight plus finished-but-unread; default 2000. */
  window?: number;
};

export async function* sendMany(
  send: (notification: Notification) => Promise<SendOutcome>,
  source: AsyncIterable<Notification> | Iterable<Notification>,
  options: { window: number },
): AsyncGenerator<NotificationOutcome> {
  const iterator =
    Symbol.asyncIterator in source
      ? source[Symbol.asyncIterator]()
      : (source as Iterable<Notification>)[Symbol.iterator]();
  const window = Math.max(1, options.window);
  const finished = new Queue<NotificationOutcome>();
  let inFlight = 0;
  let exhausted = false;
  let sourceError: { error: unknown } | null = null;
  let filling: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };

  const fill = async () => {
    while (!exhausted && inFlight + finished.length < window) {
      const next = await iterator.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      const notification = next.value;
      inFlight++;
      void send(notification).then((outcome) => {
        inFlight--;
        finished.push({ notification, outcome });
        notify();
      });
    }
  };
  // Refill as soon as anything leaves the window, even while the reader is busy with an item.
  const maybeFill = () => {
    if (filling || exhausted || inFlight + finished.length >= window) return;
    filling = fill()
      .catch((error: unknown) => {
        sourceError = { error };
        exhausted = true;
      })
      .finally(() => {
        filling = null;
        notify();
      });
  };

  try {
    for (;;) {
      maybeFill();
      const item = finished.shift();
      if (item) {
        maybeFill();
        yield item;
        continue;
      }
      if (exhausted && inFlight === 0 && !filling) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    if (sourceError) throw (sourceError as { error: unknown }).error;
  } finally {
    // The consumer stopped early (break/return): let the source clean up.
    if (!exhausted) await iterator.return?.();
  }
}
