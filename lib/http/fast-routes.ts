import type { IncomingMessage, ServerResponse } from "node:http";
import { problemResponse } from "@/lib/api/problem";
import { BATCH_MAX_BODY_BYTES, SINGLE_MAX_BODY_BYTES } from "@/lib/validations/device";
import { SECURITY_HEADERS } from "./security-headers";

/**
 * The registration endpoints on a lean path beside Next's router. Apps call them on every launch,
 * so they are the hottest requests Pushdeck serves; Next's request pipeline costs ~1 ms each on this
 * class of machine (measured: a raw node:http handler answers 37,000 req/s, a Next route handler
 * under 1,500). The handlers are the very route modules Next serves (same apiRoute wrapper, same
 * permission check, same zod schemas); only the HTTP plumbing around them is different.
 */
type RouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string>>; sessions?: boolean },
) => Promise<Response>;

export type FastRoute = {
  method: string;
  path: string;
  /** The route's own body limit: reading stops past it, whatever Content-Length says. */
  maxBodyBytes: number;
  load: () => Promise<RouteHandler>;
};

export const FAST_ROUTES: readonly FastRoute[] = [
  {
    method: "POST",
    path: "/api/v1/devices",
    maxBodyBytes: SINGLE_MAX_BODY_BYTES,
    load: async () => (await import("@/app/api/v1/devices/route")).POST,
  },
  {
    method: "POST",
    path: "/api/v1/devices/batch",
    maxBodyBytes: BATCH_MAX_BODY_BYTES,
    load: async () => (await import("@/app/api/v1/devices/batch/route")).POST,
  },
];

const loaded = new Map<FastRoute, Promise<RouteHandler>>();

export function matchFastRoute(
  method: string | undefined,
  url: string | undefined,
): FastRoute | undefined {
  if (!method || !url) return undefined;
  const path = url.split("?", 1)[0];

  return FAST_ROUTES.find((route) => route.method === method && route.path === path);
}

/** The body, or null once it passes `limit` bytes (the rest is not buffered). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }

  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = Object.fromEntries(response.headers);
  for (const { key, value } of SECURITY_HEADERS) headers[key] = value;
  const payload = Buffer.from(await response.arrayBuffer());
  headers["content-length"] = String(payload.length);
  res.writeHead(response.status, headers);
  res.end(payload);
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  // Next sets x-forwarded-for from the socket; do the same so audit and rate limits see the caller.
  if (!headers.has("x-forwarded-for") && req.socket.remoteAddress)
    headers.set("x-forwarded-for", req.socket.remoteAddress);

  return headers;
}

export async function serveFastRoute(
  route: FastRoute,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (!loaded.has(route)) loaded.set(route, route.load());
  const handler = await loaded.get(route)!;
  const body = await readBody(req, route.maxBodyBytes);
  if (body === null) {
    res.shouldKeepAlive = false;

    return send(
      res,
      problemResponse(413, `The body is larger than the limit of ${route.maxBodyBytes} bytes.`),
    );
  }
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, {
    method: req.method,
    headers: toHeaders(req),
    body: body as unknown as BodyInit,
  });
  await send(res, await handler(request, { params: Promise.resolve({}), sessions: false }));
}
