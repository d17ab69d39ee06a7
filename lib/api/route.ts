import type { z } from "zod";
import { clientIp } from "@/lib/auth/client-ip";
import type { Principal } from "@/lib/auth/guard";
import { HSTS_HEADER } from "@/lib/http/security-headers";
import { isHttpsRequest, peerFromHeaders } from "@/lib/http/secure-request";
import {
  RequestAbortedError,
  defineApiHandler,
  type ApiHandler,
  type ApiHandlerContext,
  type ApiReply,
  type ApiResult,
} from "./handler";

type RouteContext = { params?: Promise<Record<string, string | string[]>> };

/** Reads a Web request body but stops past `limit` bytes (null): a chunked body cannot grow past it. */
export async function readWebBody(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read().catch(() => {
      throw new RequestAbortedError();
    });
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});

      return null;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }

  return bytes;
}

async function sessionPrincipal(): Promise<Principal | null> {
  // Loaded on demand: next-auth lives only in Next's bundle, never on the fast path.
  const { getActor } = await import("@/lib/auth/session");
  const actor = await getActor();

  return actor ? { kind: "user", ...actor } : null;
}

function toResponse(result: ApiResult, https: boolean): Response {
  const headers = new Headers(result.headers);
  // The other security headers come from next.config.ts; HSTS depends on the request.
  if (https) headers.set(HSTS_HEADER[0], HSTS_HEADER[1]);

  return new Response(result.body, { status: result.status, headers });
}

/**
 * A route file's export for an API handler (lib/api/handler.ts): Next's Request in, Response out.
 * The access travels with it so tests can check that every route is guarded, and how.
 */
export function nextRoute(handler: ApiHandler) {
  const route = async (request: Request, context?: RouteContext): Promise<Response> => {
    const url = new URL(request.url);
    const raw = (await context?.params) ?? {};
    const params = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]),
    );
    const result = await handler.handle({
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      ip: clientIp(request.headers),
      params,
      readBody: (limit) => readWebBody(request, limit),
      session: sessionPrincipal,
    });

    return toResponse(result, isHttpsRequest(peerFromHeaders(request.headers), request.headers));
  };

  return Object.assign(route, { access: handler.access });
}

/** An API route served by Next only: `export const GET = apiRoute({ access, schema }, work)`. */
export function apiRoute<S extends z.ZodType>(
  spec: Parameters<typeof defineApiHandler<S>>[0],
  work: (ctx: ApiHandlerContext<z.output<S>>) => Promise<ApiReply>,
) {
  return nextRoute(defineApiHandler(spec, work));
}
