import type { z } from "zod";
import { getSql } from "@/lib/db/sql";
import { runGuarded, type Access, type Principal } from "@/lib/auth/guard";
import { authenticateApiKey } from "@/lib/api-keys/api-keys";
import { appErrorResponse, problemResponse } from "./problem";

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

type RouteContext = {
  params: Promise<Record<string, string | string[]>>;
  /** false outside Next's request scope (server.ts's fast path), where staff sessions can't be read. */
  sessions?: boolean;
};

export type ApiHandlerContext<I> = {
  principal: Principal;
  input: I;
  request: Request;
  params: Record<string, string>;
};

/** What a handler returns: a Response, or a JSON body with its status. */
export type ApiReply =
  Response | { status?: number; body: unknown; headers?: Record<string, string> };

type RouteSpec<S extends z.ZodType> = {
  access: Access;
  /** Parses the request's input: the JSON body for POST/PUT/PATCH, else `{ ...query, ...params }`. */
  schema: S;
  maxBodyBytes?: number;
};

async function principalFor(
  request: Request,
  sessions: boolean,
): Promise<Principal | null | "bad-key"> {
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return "bad-key";

    return (await authenticateApiKey(getSql(), match[1])) ?? "bad-key";
  }
  if (!sessions) return null;
  // Without a key, a signed-in staff member may call the API from the dashboard.
  const { getActor } = await import("@/lib/auth/session");
  const actor = await getActor().catch(() => null);

  return actor ? { kind: "user", ...actor } : null;
}

/**
 * Reads the body but stops past `limit` bytes (null), so a client sending a chunked body without a
 * Content-Length cannot make the server buffer more than the limit.
 */
async function readAtMost(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
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

async function readJsonBody(
  request: Request,
  limit: number,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    return {
      ok: false,
      response: problemResponse(415, "Send the body as JSON with Content-Type: application/json."),
    };
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit)
    return {
      ok: false,
      response: problemResponse(413, `The body is ${declared} bytes; the limit is ${limit} bytes.`),
    };
  const bytes = await readAtMost(request, limit);
  if (bytes === null) {
    return {
      ok: false,
      response: problemResponse(413, `The body is larger than the limit of ${limit} bytes.`),
    };
  }
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch (error) {
    return {
      ok: false,
      response: problemResponse(400, `The body is not valid JSON: ${(error as Error).message}`),
    };
  }
}

function flatParams(raw: Record<string, string | string[]>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]),
  );
}

/**
 * Wraps a route handler in the one permission wrapper (lib/auth/guard.ts): API key (Bearer) or
 * staff session → permission/scope → zod → handler. Errors become application/problem+json.
 */
export function apiRoute<S extends z.ZodType>(
  spec: RouteSpec<S>,
  handler: (ctx: ApiHandlerContext<z.output<S>>) => Promise<ApiReply>,
) {
  const route = async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      const principal = await principalFor(request, context?.sessions !== false);
      if (principal === "bad-key")
        return problemResponse(401, "The API key is missing, malformed, unknown or revoked.", {
          code: "unauthenticated",
        });
      if (!principal)
        return problemResponse(401, "Authenticate with `Authorization: Bearer <API key>`.", {
          code: "unauthenticated",
        });
      const params = flatParams((await context?.params) ?? {});
      let input: unknown;
      if (["POST", "PUT", "PATCH"].includes(request.method)) {
        const body = await readJsonBody(request, spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
        if (!body.ok) return body.response;
        input = body.value;
      } else {
        input = { ...Object.fromEntries(new URL(request.url).searchParams), ...params };
      }
      const result = await runGuarded(
        principal,
        spec.access,
        spec.schema,
        input,
        ({ input: parsed }) => handler({ principal, input: parsed, request, params }),
      );
      if (!result.ok) return appErrorResponse(result.code, result.error, result.fieldErrors);
      const reply = result.data;
      if (reply instanceof Response) return reply;

      return Response.json(reply.body, { status: reply.status ?? 200, headers: reply.headers });
    } catch (error) {
      console.error("api route failed", request.method, new URL(request.url).pathname, error);

      return problemResponse(500, "Something went wrong on our side; the request was not applied.");
    }
  };

  // The access travels with the handler so tests can check that every route is guarded, and how.
  return Object.assign(route, { access: spec.access });
}
