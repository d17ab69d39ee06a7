import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { createTestDatabase, type TestDatabase } from "./test-database";

/**
 * next-auth's route handlers (app/api/auth/[...nextauth]) behind a real node:http server, with the
 * peer-address stamp installed as instrumentation.ts installs it, on a test database of its own.
 * Clients pick their source address on the loopback network (127.0.0.2, 127.0.0.3, …), so the
 * server sees genuinely different peers.
 */
type DbSlots = { pushdeckDb?: { db: unknown; config: unknown }; pushdeckSql?: unknown };

export type Reply = {
  status: number;
  location: string | null;
  cookies: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  json: any;
};

export type AuthServer = {
  t: TestDatabase;
  call(
    method: "GET" | "POST",
    path: string,
    options?: {
      from?: string;
      cookies?: Record<string, string>;
      form?: Record<string, string>;
      headers?: Record<string, string>;
    },
  ): Promise<Reply>;
  /** A CSRF token and its cookie, as a browser gets them before posting a form to next-auth. */
  csrf(from?: string): Promise<{ token: string; cookies: Record<string, string> }>;
  /** Posts the credentials form; `ok` when next-auth set a session cookie. */
  signIn(
    email: string,
    password: string,
    options?: {
      from?: string;
      headers?: Record<string, string>;
      csrf?: { token: string; cookies: Record<string, string> };
    },
  ): Promise<{
    ok: boolean;
    code: string | null;
    cookies: Record<string, string>;
    location: string | null;
  }>;
  /** GET /api/auth/session with these cookies: the session (or null) and any cookie it re-issues. */
  session(cookies: Record<string, string>, from?: string): Promise<Reply>;
  signOut(cookies: Record<string, string>, from?: string): Promise<Reply>;
  close(): Promise<void>;
};

export const SESSION_COOKIE = "authjs.session-token";

function parseSetCookies(values: string[]): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const value of values) {
    const [pair] = value.split(";");
    const eq = pair.indexOf("=");
    cookies[pair.slice(0, eq).trim()] = decodeURIComponent(pair.slice(eq + 1).trim());
  }

  return cookies;
}

export async function startAuthServer(): Promise<AuthServer> {
  process.env.AUTH_SECRET ??= "integration-test-secret-integration-test-secret";
  const t = await createTestDatabase();
  const slots = globalThis as unknown as DbSlots;
  slots.pushdeckDb = { db: t.db, config: t.config };
  slots.pushdeckSql = t.sql;
  const { installPeerAddressStamp } = await import("@/lib/auth/client-ip");
  installPeerAddressStamp();
  const { handlers } = await import("@/lib/auth/next-auth");

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    const request = new NextRequest(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
    });
    try {
      const response = await (req.method === "POST" ? handlers.POST : handlers.GET)(request);
      const out: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        if (name !== "set-cookie") out[name] = value;
      });
      out["set-cookie"] = response.headers.getSetCookie();
      res.writeHead(response.status, out);
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String((error as Error)?.stack ?? error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const call: AuthServer["call"] = (method, path, options = {}) =>
    new Promise((resolve, reject) => {
      const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
      const headers: Record<string, string> = { ...options.headers };
      if (options.cookies && Object.keys(options.cookies).length)
        headers.cookie = Object.entries(options.cookies)
          .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
          .join("; ");
      if (body !== undefined) {
        headers["content-type"] = "application/x-www-form-urlencoded";
        headers["content-length"] = String(Buffer.byteLength(body));
      }
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port,
          method,
          path,
          headers,
          localAddress: options.from ?? "127.0.0.1",
          agent: false,
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () => {
            let json: unknown = null;
            try {
              json = text ? JSON.parse(text) : null;
            } catch {
              json = text;
            }
            resolve({
              status: res.statusCode ?? 0,
              location: (res.headers.location as string | undefined) ?? null,
              cookies: parseSetCookies((res.headers["set-cookie"] as string[] | undefined) ?? []),
              json,
            });
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });

  const csrf: AuthServer["csrf"] = async (from) => {
    const reply = await call("GET", "/api/auth/csrf", { from });

    return { token: reply.json.csrfToken, cookies: reply.cookies };
  };

  return {
    t,
    call,
    csrf,
    async signIn(email, password, options = {}) {
      const form = options.csrf ?? (await csrf(options.from));
      const reply = await call("POST", "/api/auth/callback/credentials", {
        from: options.from,
        headers: options.headers,
        cookies: form.cookies,
        form: { email, password, csrfToken: form.token, callbackUrl: "/devices" },
      });
      const code = reply.location ? new URL(reply.location).searchParams.get("code") : null;

      return {
        ok: Boolean(reply.cookies[SESSION_COOKIE]),
        code,
        cookies: reply.cookies,
        location: reply.location,
      };
    },
    session: (cookies, from) => call("GET", "/api/auth/session", { cookies, from }),
    async signOut(cookies, from) {
      const form = await csrf(from);

      return call("POST", "/api/auth/signout", {
        from,
        cookies: { ...form.cookies, ...cookies },
        form: { csrfToken: form.token, callbackUrl: "/login" },
      });
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      delete slots.pushdeckDb;
      delete slots.pushdeckSql;
      await t.drop();
    },
  };
}
