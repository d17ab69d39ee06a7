import type { IncomingMessage, ServerResponse } from "node:http";
import { RequestAbortedError, type ApiHandler, type ApiResult } from "@/lib/api/handler";
import { resolveClientIp } from "@/lib/auth/client-ip";
import { isHttpsRequest } from "./secure-request";
import { securityHeaders } from "./security-headers";

/**
 * An API handler (lib/api/handler.ts) on plain node:http: the registration fast path of server.ts.
 * Next's request pipeline costs ~1 ms a request on this class of machine; this adapter costs next
 * to nothing (docs/decisions/0001-request-edge.md has the figures). It only translates: the
 * handler decides everything, exactly as it does behind Next's route files.
 */

/** What is read of a body the handler did not want (refused before reading, or past its limit). */
export const UNREAD_BODY_DRAIN_BYTES = 64 * 1024;
/** …and for how long, before the connection is cut. */
export const UNREAD_BODY_DRAIN_MS = 2_000;

export const expectsContinue = (req: IncomingMessage) =>
  req.headers.expect?.toLowerCase() === "100-continue";

/** The body, or null once it passes `limit` bytes; then reading stops (the stream is paused). */
export function readNodeBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
): Promise<Uint8Array | null> {
  // The client waits for our go before sending the body (`Expect: 100-continue`): give it now.
  if (expectsContinue(req) && !res.headersSent) res.writeContinue();

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (value: Uint8Array | null, error?: Error) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onAborted);
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        done(null);
      } else chunks.push(chunk);
    };
    const onEnd = () => done(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    const onError = () => done(null, new RequestAbortedError());
    const onAborted = () => done(null, new RequestAbortedError());
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onAborted);
  });
}

/**
 * After answering a request whose body was not read to its end: read at most a little of the rest
 * (so that a client still sending gets our answer instead of a reset), then cut the connection.
 */
function closeAfterUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  res.once("finish", () => {
    if (req.complete) return;
    let drained = 0;
    const cut = () => req.socket.destroy();
    const timer = setTimeout(cut, UNREAD_BODY_DRAIN_MS);
    timer.unref();
    req.on("data", (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > UNREAD_BODY_DRAIN_BYTES) cut();
    });
    req.once("end", () => clearTimeout(timer));
    req.socket.once("close", () => clearTimeout(timer));
    req.resume();
  });
}

function nodeHeaders(req: IncomingMessage) {
  return {
    get(name: string): string | null {
      const value = req.headers[name.toLowerCase()];

      return Array.isArray(value) ? value.join(", ") : (value ?? null);
    },
  };
}

export function writeResult(
  req: IncomingMessage,
  res: ServerResponse,
  result: ApiResult,
  https: boolean,
): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of securityHeaders({ https })) headers[name] = value;
  Object.assign(headers, result.headers);
  const body = result.body === null ? null : Buffer.from(result.body);
  if (body) headers["content-length"] = String(body.length);
  if (!req.complete) {
    // The body was refused unread (or cut at its limit): this connection ends with the answer.
    res.shouldKeepAlive = false;
    closeAfterUnreadBody(req, res);
  }
  res.writeHead(result.status, headers);
  res.end(body);
}

/** Serves `handler` for a request whose path the caller matched (query string not yet parsed). */
export async function serveNodeApi(
  handler: ApiHandler,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const https = isHttpsRequest(req.socket.remoteAddress, req.headers);
  const result = await handler.handle({
    method: req.method ?? "GET",
    path,
    query: new URLSearchParams(q === -1 ? "" : url.slice(q + 1)),
    headers: nodeHeaders(req),
    ip: resolveClientIp(req.socket.remoteAddress, req.headers),
    params: {},
    readBody: (limit) => readNodeBody(req, res, limit),
  });
  writeResult(req, res, result, https);
}
