import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { ApiHandler } from "@/lib/api/handler";
import { problemResult } from "@/lib/api/handler";
import { expectsContinue, serveNodeApi, writeResult } from "./node-api";
import { isHttpsRequest } from "./secure-request";

/**
 * The request edge of `npm start` and `npm run dev` (server.ts): every request passes here first.
 * It refuses what no route can answer (a malformed Host, a path that is not valid percent-encoding)
 * with a 400 problem document, answers the fast-path routes itself, and hands the rest to Next.
 */
export type FastRoute = { method: string; path: string; handler: ApiHandler };

// RFC 9110 §7.2 / RFC 3986: a reg-name, IPv4 or [IPv6] host with an optional port.
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(?::\d{1,5})?$/;

// The absolute form a proxy may send (RFC 9112 §3.2.2): scheme and authority before the path.
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/** Why a request cannot be routed, or null when it can. */
export function malformedRequest(req: Pick<IncomingMessage, "url" | "headers">): string | null {
  const host = req.headers.host;
  if (host !== undefined && !HOST.test(host)) return "The Host header is not a valid host name.";
  let target = req.url ?? "/";
  if (ABSOLUTE_FORM.test(target)) target = target.replace(ABSOLUTE_FORM, "") || "/";
  if (!target.startsWith("/")) return "The request target must be a path.";
  const q = target.indexOf("?");
  try {
    decodeURIComponent(q === -1 ? target : target.slice(0, q));
  } catch {
    return "The path is not valid percent-encoding (UTF-8).";
  }

  return null;
}

const logged = new Set<string>();
/** One line per kind of refused request per process, not a stack trace per request. */
function logOnce(kind: string, req: IncomingMessage) {
  if (logged.has(kind)) return;
  logged.add(kind);
  console.warn(
    `[pushdeck] refused ${req.method} with a 400: ${kind} (further ones are not logged)`,
  );
}

/**
 * The listener for both `request` and `checkContinue` (a client that sent `Expect: 100-continue`
 * waits for our go before sending its body): the fast path says "continue" only when its handler
 * asks for the body, so a refused upload is never sent at all; Next's requests get it at once.
 */
export function createEdge(options: {
  next: (req: IncomingMessage, res: ServerResponse) => unknown;
  fastRoutes: readonly FastRoute[];
}): RequestListener {
  const routes = new Map(options.fastRoutes.map((r) => [`${r.method} ${r.path}`, r]));

  return (req, res) => {
    const problem = malformedRequest(req);
    if (problem) {
      logOnce(problem, req);
      writeResult(
        req,
        res,
        problemResult(400, problem),
        isHttpsRequest(req.socket.remoteAddress, req.headers),
      );

      return;
    }
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const route = routes.get(`${req.method} ${path}`);
    if (!route) {
      if (expectsContinue(req)) res.writeContinue();
      void options.next(req, res);

      return;
    }
    serveNodeApi(route.handler, req, res, path).catch((error: unknown) => {
      // The handler answers its own failures; this is the adapter failing (e.g. a client abort).
      console.error("fast path failed", req.method, path, error);
      if (res.headersSent) return res.destroy();
      writeResult(
        req,
        res,
        problemResult(500, "Something went wrong on our side; the request was not applied."),
        isHttpsRequest(req.socket.remoteAddress, req.headers),
      );
    });
  };
}
