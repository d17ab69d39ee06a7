/**
 * Guards a streamed upload against arriving incomplete (a proxy or a body limit that cuts the
 * stream, a client that stops early). The bytes pass through as they come, except what follows the
 * last line break, which is held back until the stream ends: if fewer bytes arrived than
 * Content-Length announced, that half line is dropped, so a consumer that works line by line never
 * sees a half-read row, and `result()` says the upload was cut.
 */
export type BodyCompleteness = { received: number; declared: number | null; complete: boolean };

export function guardCompleteBody(
  body: ReadableStream<Uint8Array>,
  declaredLength: string | null,
): { body: ReadableStream<Uint8Array>; result: () => BodyCompleteness } {
  const declared =
    declaredLength !== null && /^\d+$/.test(declaredLength) ? Number(declaredLength) : null;
  let received = 0;
  let tail = new Uint8Array(0);
  let ended = false;
  const guarded = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        const joined = new Uint8Array(tail.byteLength + chunk.byteLength);
        joined.set(tail);
        joined.set(chunk, tail.byteLength);
        const cut = joined.lastIndexOf(0x0a) + 1;
        if (cut > 0) controller.enqueue(joined.subarray(0, cut));
        tail = joined.slice(cut);
      },
      flush(controller) {
        ended = true;
        if (declared === null || received >= declared) {
          if (tail.byteLength) controller.enqueue(tail);
        }
        tail = new Uint8Array(0);
      },
    }),
  );

  return {
    body: guarded,
    result: () => ({
      received,
      declared,
      complete: ended && (declared === null || received >= declared),
    }),
  };
}
