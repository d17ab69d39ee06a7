import { describe, expect, it } from "vitest";
import { guardCompleteBody } from "./complete-body";

const stream = (...parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });

async function drain(body: ReadableStream<Uint8Array>) {
  return new Response(body).text();
}

describe("guardCompleteBody", () => {
  it("passes a complete body through, whole", async () => {
    const text = "a,b\n1,2\n3,4";
    const guard = guardCompleteBody(stream("a,b\n1,", "2\n3,4"), String(text.length));
    expect(await drain(guard.body)).toBe(text);
    expect(guard.result()).toEqual({
      received: text.length,
      declared: text.length,
      complete: true,
    });
  });

  it("drops the half line of a body cut short, and says so", async () => {
    const guard = guardCompleteBody(stream("a,b\n1,2\n3,"), "100");
    expect(await drain(guard.body)).toBe("a,b\n1,2\n");
    expect(guard.result()).toMatchObject({ received: 10, declared: 100, complete: false });
  });

  it("without a Content-Length, the end of the stream is the end of the body", async () => {
    const guard = guardCompleteBody(stream("x\ny"), null);
    expect(await drain(guard.body)).toBe("x\ny");
    expect(guard.result().complete).toBe(true);
  });

  it("is not complete before the stream ended", () => {
    expect(guardCompleteBody(stream("x"), "1").result().complete).toBe(false);
  });
});
