import { createServer, request as httpRequest, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as single from "@/app/api/v1/devices/route";
import * as batch from "@/app/api/v1/devices/batch/route";
import { createEdge } from "@/lib/http/edge";
import { FAST_ROUTES } from "@/lib/ingest/registration";
import {
  call,
  createApiHarness,
  MAIN_APP,
  randomToken,
  type ApiHarness,
} from "./helpers/api-harness";
import { testProvider } from "./helpers/test-database";

// The request edge of server.ts on a real socket: the registration fast path answers exactly what
// Next's route files answer (one handler behind two thin adapters), with the security headers,
// refuses what cannot be routed with a 400, and does not read a body it will not use.
vi.mock("@/lib/auth/session", () => ({ getActor: async () => null }));

let h: ApiHarness;
let writer: string;
let reader: string;
let server: Server;
let base: string;

beforeAll(async () => {
  h = await createApiHarness();
  writer = await h.key(["devices:write"]);
  reader = await h.key(["devices:read"]);
  // As server.ts wires it: the same listener for `request` and `checkContinue`.
  const edge = createEdge({
    next: (_req, res) => {
      res.writeHead(299, { "content-type": "text/plain" });
      res.end("next");
    },
    fastRoutes: FAST_ROUTES,
  });
  server = createServer(edge).on("checkContinue", edge);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await h?.drop();
});
afterEach(() => {
  delete process.env.PUSHDECK_TRUST_PROXY;
});

type Sent = { path: string; key?: string | null; body?: string; headers?: Record<string, string> };

async function viaEdge({ path, key, body, headers = {} }: Sent) {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: {
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...headers,
    },
    body,
  });
  const text = await response.text();

  return {
    status: response.status,
    headers: response.headers,
    json: text ? JSON.parse(text) : null,
  };
}

const item = (extra: object = {}) => ({
  app: MAIN_APP,
  token: randomToken(),
  environment: "production",
  ...extra,
});

describe(`registration fast path on ${testProvider()}`, () => {
  it("registers with every security header, and no HSTS over plain HTTP", async () => {
    const response = await viaEdge({
      path: "/api/v1/devices",
      key: writer,
      body: JSON.stringify(item()),
      headers: { "x-forwarded-proto": "https" },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(response.headers.get("permissions-policy")).toContain("camera=()");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    // No trusted proxy: a client's X-Forwarded-Proto is not believed.
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("sends HSTS when a trusted proxy says the request came over HTTPS", async () => {
    process.env.PUSHDECK_TRUST_PROXY = "127.0.0.1";
    const https = await viaEdge({
      path: "/api/v1/devices",
      key: writer,
      body: JSON.stringify(item()),
      headers: { "x-forwarded-proto": "https" },
    });
    expect(https.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
    const http = await viaEdge({ path: "/api/v1/devices", key: writer, body: "{}" });
    expect(http.headers.get("strict-transport-security")).toBeNull();
  });

  it("answers exactly what Next's route files answer, request for request", async () => {
    // Each case makes a fresh body per call, so both adapters see the same situation.
    const one =
      (extra: object = {}) =>
      () =>
        JSON.stringify(item(extra));
    const cases: {
      route: typeof single.POST;
      path: string;
      key: () => string | null;
      body: () => string;
      type?: string;
    }[] = [
      { route: single.POST, path: "/api/v1/devices", key: () => writer, body: one() },
      {
        route: single.POST,
        path: "/api/v1/devices",
        key: () => writer,
        body: one({ token: "xyz" }),
      },
      {
        route: single.POST,
        path: "/api/v1/devices",
        key: () => writer,
        body: one({ userId: "a\u0000" }),
      },
      { route: single.POST, path: "/api/v1/devices", key: () => writer, body: () => "{not json" },
      {
        route: single.POST,
        path: "/api/v1/devices",
        key: () => writer,
        body: one(),
        type: "text/plain",
      },
      { route: single.POST, path: "/api/v1/devices", key: () => null, body: one() },
      { route: single.POST, path: "/api/v1/devices", key: () => "pd_nope", body: one() },
      { route: single.POST, path: "/api/v1/devices", key: () => reader, body: one() },
      {
        route: single.POST,
        path: "/api/v1/devices",
        key: () => writer,
        body: one({ model: "x".repeat(20_000) }),
      },
      {
        route: batch.POST,
        path: "/api/v1/devices/batch",
        key: () => writer,
        body: () =>
          JSON.stringify({ devices: [item(), item({ tags: ["a\u0000"] }), item({ token: "1" })] }),
      },
      {
        route: batch.POST,
        path: "/api/v1/devices/batch",
        key: () => writer,
        body: () => '{"devices":[]}',
      },
    ];
    // Ids and tokens differ by nature between two registrations; everything else must not.
    const comparable = (json: unknown) =>
      JSON.parse(JSON.stringify(json), (k, v) =>
        ["id", "deviceId", "token"].includes(k) ? "…" : v,
      );
    for (const c of cases) {
      const key = c.key();
      const viaNext = await call(c.route, {
        method: "POST",
        path: c.path,
        key,
        rawBody: c.body(),
        contentType: c.type,
      });
      const fast = await viaEdge({
        path: c.path,
        key,
        body: c.body(),
        headers: c.type ? { "content-type": c.type } : {},
      });
      const what = `${c.path} ${c.body().slice(0, 50)} (${viaNext.status})`;
      expect(fast.status, what).toBe(viaNext.status);
      expect(fast.headers.get("content-type"), what).toBe(viaNext.type);
      // A 413's detail says the declared size when there is one: fetch declares it, call() does not.
      if (fast.status === 413) {
        delete fast.json.detail;
        delete viaNext.json.detail;
      }
      expect(comparable(fast.json), what).toEqual(comparable(viaNext.json));
    }
  });

  it("records the socket's address, not a forged X-Forwarded-For, when no proxy is trusted", async () => {
    const token = randomToken();
    await viaEdge({
      path: "/api/v1/devices",
      key: writer,
      body: JSON.stringify(item({ token })),
      headers: { "x-forwarded-for": "6.6.6.6" },
    });
    const [entry] = await h.t.sql.query<{ ip: string | null }>(
      `SELECT "ip" FROM "AuditLog" ORDER BY "id" DESC LIMIT 1`,
    );
    expect(entry.ip).toBe("127.0.0.1");
  });
});

/** Headers only, no body: what comes back, and whether the server then closes the connection. */
function headersOnly(head: string): Promise<{ status: number; head: string; closed: boolean }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer in 5 s: ${JSON.stringify(text)}`));
    }, 5_000);
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0),
        head: text.split("\r\n\r\n")[0],
        closed: true,
      });
    });
    socket.on("error", () => {});
    socket.write(`${head.replace(/\n/g, "\r\n")}\r\n\r\n`);
  });
}

describe("the edge refuses early", () => {
  it.each([
    ["an unknown key", () => `pd_AAAAAAAA_${"a".repeat(32)}`, 401],
    ["a key without the scope", () => reader, 403],
  ])(
    "%s: answered from the headers while a 7 MB body is still unsent, then the connection closes",
    async (_what, key, status) => {
      const started = Date.now();
      const answer = await headersOnly(
        [
          "POST /api/v1/devices HTTP/1.1",
          "Host: localhost",
          `Authorization: Bearer ${key()}`,
          "Content-Type: application/json",
          "Content-Length: 7000000",
        ].join("\n"),
      );
      expect(answer.status).toBe(status);
      expect(answer.head).toMatch(/connection: close/i);
      expect(answer.head).toMatch(/x-content-type-options: nosniff/i);
      expect(Date.now() - started).toBeLessThan(4_000);
    },
  );

  it("a client waiting on Expect: 100-continue is refused without being asked for the body", async () => {
    const answer = await headersOnly(
      [
        "POST /api/v1/devices HTTP/1.1",
        "Host: localhost",
        `Authorization: Bearer pd_AAAAAAAA_${"a".repeat(32)}`,
        "Content-Type: application/json",
        "Content-Length: 7000000",
        "Expect: 100-continue",
      ].join("\n"),
    );
    expect(answer.status).toBe(401);
    expect(answer.head).not.toContain("100 Continue");
  });

  it("with Expect: 100-continue, an accepted request gets its go and is served", async () => {
    const body = JSON.stringify(item());
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/api/v1/devices`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${writer}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          expect: "100-continue",
        },
      });
      req.on("continue", () => req.end(body));
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
    });
    expect(status).toBe(201);
  });

  it("a chunked body past the limit is cut at the limit: 413, connection closed", async () => {
    const status = await new Promise<{ status: number; connection: string | undefined }>(
      (resolve, reject) => {
        const req = httpRequest(
          `${base}/api/v1/devices`,
          {
            method: "POST",
            headers: { authorization: `Bearer ${writer}`, "content-type": "application/json" },
          },
          (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
          },
        );
        req.on("error", reject);
        req.write(Buffer.alloc(64 * 1024, 0x20));
        req.write(Buffer.alloc(64 * 1024, 0x20));
      },
    );
    expect(status).toEqual({ status: 413, connection: "close" });
  });

  it.each([
    ["a malformed Host", "POST /api/v1/devices HTTP/1.1\nHost: a b\nContent-Length: 0"],
    ["a Host with a path", "GET /devices HTTP/1.1\nHost: example.com/x\nContent-Length: 0"],
    [
      "bad percent-encoding (fast path's neighbour)",
      "GET /api/v1/users/%FF/devices HTTP/1.1\nHost: localhost",
    ],
    ["bad percent-encoding (a page)", "GET /devices/users/%E0%A4%A HTTP/1.1\nHost: localhost"],
  ])("%s is a 400 problem with the security headers", async (_what, head) => {
    const answer = await headersOnly(`${head}\nConnection: close`);
    expect(answer.status).toBe(400);
    expect(answer.head).toMatch(/content-type: application\/problem\+json/i);
    expect(answer.head).toMatch(/content-security-policy: default-src 'none'/i);
  });

  it("everything else goes to Next", async () => {
    const response = await fetch(`${base}/api/v1/devices/${randomToken()}?app=${MAIN_APP}`);
    expect(response.status).toBe(299);
    expect((await fetch(`${base}/devices`)).status).toBe(299);
  });
});
