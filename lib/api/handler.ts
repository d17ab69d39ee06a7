import type { z } from "zod";
import { authenticateApiKey } from "@/lib/api-keys/api-keys";
import { isAllowed, runGuarded, type Access, type Principal } from "@/lib/auth/guard";
import { getSql } from "@/lib/db/sql";
import { APP_ERROR_STATUS } from "@/lib/errors";
import { fieldErrorList, problemJson, PROBLEM_CONTENT_TYPE } from "./problem";

/**
 * The REST API's handlers, free of any HTTP framework: a handler takes an ApiRequest and gives an
 * ApiResult. Two thin adapters serve them: lib/api/route.ts for Next's route files and
 * lib/http/node-api.ts for the registration fast path of server.ts. Everything an endpoint does —
 * authentication, permission, body limit, JSON, zod, the work, problem documents — is here, once
 * (docs/decisions/0001-request-edge.md).
 *
 * Order of work: the API key (from the headers) → permission → only then the body, so a caller that
 * may not write never gets its body read.
 */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Thrown by `readBody` when the client goes away mid-body: not our failure, so not logged. */
export class RequestAbortedError extends Error {
  constructor() {
    super("The client closed the connection before sending the whole body.");
    this.name = "RequestAbortedError";
  }
}

type HeaderReader = { get(name: string): string | null };

export type ApiRequest = {
  method: string;
  /** Decoded path, as routed. */
  path: string;
  query: URLSearchParams;
  headers: HeaderReader;
  /** The caller's address (lib/auth/client-ip.ts), for the audit log. */
  ip: string | null;
  /** Route parameters, decoded. */
  params: Record<string, string>;
  /**
   * The body, or null once it passes `limit` bytes: reading stops there, whatever Content-Length
   * says, and the rest is never buffered.
   */
  readBody(limit: number): Promise<Uint8Array | null>;
  /** The signed-in staff member, where the adapter can read sessions (Next); absent on the fast path. */
  session?: () => Promise<Principal | null>;
};

export type ApiResult = {
  status: number;
  headers: Record<string, string>;
  /** Text (JSON, problem+json) or nothing. */
  body: string | null;
};

/** What a handler's work returns: a JSON body (or none) with its status. */
export type ApiReply = { status?: number; body?: unknown; headers?: Record<string, string> };

export type ApiHandlerContext<I> = {
  principal: Principal;
  input: I;
  request: ApiRequest;
};

type HandlerSpec<S extends z.ZodType> = {
  access: Access;
  /** Parses the request's input: the JSON body for POST/PUT/PATCH, else `{ ...query, ...params }`. */
  schema: S;
  maxBodyBytes?: number;
  /** A POST whose fields all have defaults: an empty body without Content-Type reads as `{}`. */
  bodyOptional?: boolean;
};

export type ApiHandler = {
  access: Access;
  maxBodyBytes: number;
  handle(request: ApiRequest): Promise<ApiResult>;
};

export function problemResult(
  status: number,
  detail: string,
  extra: Parameters<typeof problemJson>[2] = {},
): ApiResult {
  return {
    status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE },
    body: problemJson(status, detail, extra),
  };
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);
const JSON_TYPE = /^application\/(.+\+)?json\b/i;
const BEARER = /^Bearer\s+(\S+)$/i;

const unauthenticated = (detail: string) => problemResult(401, detail, { code: "unauthenticated" });

async function principalFor(request: ApiRequest): Promise<Principal | ApiResult> {
  const header = request.headers.get("authorization");
  if (header) {
    const match = BEARER.exec(header);
    const principal = match ? await authenticateApiKey(getSql(), match[1]) : null;

    return principal ?? unauthenticated("The API key is missing, malformed, unknown or revoked.");
  }
  // Without a key, a signed-in staff member may call the API from the dashboard.
  const actor = request.session ? await request.session().catch(() => null) : null;

  return actor ?? unauthenticated("Authenticate with `Authorization: Bearer <API key>`.");
}

async function readJson(request: ApiRequest, limit: number): Promise<unknown> {
  if (!JSON_TYPE.test(request.headers.get("content-type") ?? ""))
    return problemResult(415, "Send the body as JSON with Content-Type: application/json.");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit)
    return problemResult(413, `The body is ${declared} bytes; the limit is ${limit} bytes.`);
  const bytes = await request.readBody(limit);
  if (bytes === null)
    return problemResult(413, `The body is larger than the limit of ${limit} bytes.`);
  try {
    return { json: JSON.parse(new TextDecoder().decode(bytes)) as unknown };
  } catch (error) {
    return problemResult(400, `The body is not valid JSON: ${(error as Error).message}`);
  }
}

const isEmptyBody = (request: ApiRequest) =>
  !request.headers.get("content-type") &&
  Number(request.headers.get("content-length") ?? "0") === 0;

const isResult = (value: unknown): value is ApiResult =>
  typeof value === "object" && value !== null && "status" in value && "body" in value;

/**
 * An API endpoint: API key (Bearer) or staff session → permission/scope → body within its limit →
 * zod → work, through the one permission wrapper (lib/auth/guard.ts). Expected failures are
 * problem documents; anything else is logged once and answered 500.
 */
export function defineApiHandler<S extends z.ZodType>(
  spec: HandlerSpec<S>,
  work: (ctx: ApiHandlerContext<z.output<S>>) => Promise<ApiReply>,
): ApiHandler {
  const maxBodyBytes = spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  async function handle(request: ApiRequest): Promise<ApiResult> {
    try {
      const principal = await principalFor(request);
      if (isResult(principal)) return principal;
      // Before the body: a key without the scope is refused without reading it.
      if (!isAllowed(principal, spec.access)) {
        const guarded = await runGuarded(principal, spec.access, spec.schema, null, async () => 0);
        if (!guarded.ok)
          return problemResult(APP_ERROR_STATUS[guarded.code], guarded.error, {
            code: guarded.code,
          });
      }
      let input: unknown;
      if (BODY_METHODS.has(request.method)) {
        const body =
          spec.bodyOptional && isEmptyBody(request)
            ? { json: {} }
            : await readJson(request, maxBodyBytes);
        if (isResult(body)) return body;
        input = (body as { json: unknown }).json;
      } else {
        input = { ...Object.fromEntries(request.query), ...request.params };
      }
      const result = await runGuarded(principal, spec.access, spec.schema, input, ({ input }) =>
        work({ principal, input, request }),
      );
      if (!result.ok)
        return problemResult(APP_ERROR_STATUS[result.code], result.error, {
          code: result.code,
          errors: fieldErrorList(result.fieldErrors),
        });
      const reply = result.data;
      const status = reply.status ?? 200;
      if (reply.body === undefined) return { status, headers: reply.headers ?? {}, body: null };

      return {
        status,
        headers: { "content-type": "application/json", ...reply.headers },
        body: JSON.stringify(reply.body),
      };
    } catch (error) {
      if (error instanceof RequestAbortedError) return problemResult(400, error.message);
      console.error("api request failed", request.method, request.path, error);

      return problemResult(500, "Something went wrong on our side; the request was not applied.");
    }
  }

  return { access: spec.access, maxBodyBytes, handle };
}
