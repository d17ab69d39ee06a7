// A small JSON admin API over plain HTTP/1.1, so tests in other processes, benchmarks and the demo
// can read counters and script token states / faults of a simulator they did not start.

import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { MAX_DUPLICATE_IDS } from "./counters";
import type { Simulator, SimulatorKey, SimulatorMode } from "./types";

type Body = Record<string, unknown>;
type Route = (sim: Simulator, body: Body, url: URL) => unknown;

function tokensOf(body: Body): string[] {
  if (Array.isArray(body.tokens)) return body.tokens.map(String);
  if (typeof body.token === "string") return [body.token];
  throw new Error("expected { tokens: string[] } or { token: string }");
}

const ROUTES: Record<string, Route> = {
  "GET /health": () => ({ ok: true }),
  "GET /counts": (sim) => sim.counts(),
  "GET /recent": (sim, _body, url) => sim.recent(Number(url.searchParams.get("limit") ?? 50)),
  "GET /duplicates": (sim, _body, url) =>
    sim.duplicateIds({
      offset: Number(url.searchParams.get("offset") ?? 0),
      limit: Number(url.searchParams.get("limit") ?? MAX_DUPLICATE_IDS),
    }),
  "POST /reset": (sim) => (sim.resetCounts(), { ok: true }),
  "GET /faults": (sim) => sim.faults(),
  "POST /faults": (sim, body) => (sim.setFaults(body), sim.faults()),
  "POST /keys": (sim, body) => (sim.registerKey(body as SimulatorKey), { ok: true }),
  "POST /tokens/unregistered": (sim, body) => {
    const timestamp = typeof body.timestamp === "number" ? body.timestamp : undefined;
    tokensOf(body).forEach((token) => sim.markUnregistered(token, timestamp));

    return { ok: true };
  },
  "POST /tokens/expired": (sim, body) => (
    tokensOf(body).forEach((t) => sim.markExpired(t)),
    { ok: true }
  ),
  "POST /tokens/bad": (sim, body) => (tokensOf(body).forEach((t) => sim.markBad(t)), { ok: true }),
  "POST /tokens/too-many-requests": (sim, body) => (
    tokensOf(body).forEach((t) => sim.tooManyRequestsFor(t, body.on !== false)),
    { ok: true }
  ),
  "POST /tokens/topic": (sim, body) => (
    tokensOf(body).forEach((t) => sim.setTokenTopic(t, String(body.topic))),
    { ok: true }
  ),
  "POST /tokens/register": (sim, body) => {
    const info = {
      topic: body.topic as string | undefined,
      environment: body.environment as SimulatorMode | undefined,
    };
    tokensOf(body).forEach((t) => sim.registerToken(t, info));

    return { ok: true };
  },
  "POST /tokens/counts": (sim, body) =>
    Object.fromEntries(tokensOf(body).map((t) => [t, sim.tokenCounts(t)])),
  "POST /tokens/clear": (sim) => (sim.clearTokens(), { ok: true }),
};

async function readBody(request: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();

  return text ? (JSON.parse(text) as Body) : {};
}

function send(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
}

export async function startAdminServer(port: number, host: string, getSimulator: () => Simulator) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://admin");
    const route = ROUTES[`${request.method} ${url.pathname}`];
    if (!route) return send(response, 404, { error: "not found" });
    readBody(request)
      .then((body) => send(response, 200, route(getSimulator(), body, url)))
      .catch((error: unknown) =>
        send(response, 400, { error: error instanceof Error ? error.message : String(error) }),
      );
  });
  server.listen(port, host);
  await once(server, "listening");

  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
