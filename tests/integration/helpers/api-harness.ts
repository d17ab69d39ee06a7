import { systemActor } from "@/lib/access/authorize";
import { createApiKey } from "@/lib/api-keys/manage-api-keys";
import type { ApiScope } from "@/lib/auth/permissions";
import { createTestDatabase, type TestDatabase } from "./test-database";

/**
 * Route handlers use the process-wide getDb()/getSql() singletons (lib/db). These tests point
 * them at the file's own test database by filling the same globalThis slots lib/db fills lazily;
 * each Vitest file runs in its own worker, so nothing leaks between files.
 */
type DbSlots = { pushdeckDb?: { db: unknown; config: unknown }; pushdeckSql?: unknown };

export type ApiHarness = {
  t: TestDatabase;
  apps: { main: string; other: string };
  key(scopes: ApiScope[], app?: string): Promise<string>;
  drop(): Promise<void>;
};

export const MAIN_APP = "com.example.main";
export const OTHER_APP = "com.example.other";

export async function createApiHarness(): Promise<ApiHarness> {
  const t = await createTestDatabase();
  const slots = globalThis as unknown as DbSlots;
  slots.pushdeckDb = { db: t.db, config: t.config };
  slots.pushdeckSql = t.sql;
  const main = await t.db.app.create({ data: { name: "Main", bundleId: MAIN_APP } });
  const other = await t.db.app.create({ data: { name: "Other", bundleId: OTHER_APP } });

  return {
    t,
    apps: { main: main.id, other: other.id },
    async key(scopes, app) {
      return (
        await createApiKey(
          systemActor("test"),
          { name: `test ${scopes.join(" ")}`, scopes, app },
          { db: t.db },
        )
      ).key;
    },
    async drop() {
      delete slots.pushdeckDb;
      delete slots.pushdeckSql;
      await t.drop();
    },
  };
}

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

/** Calls a route module's handler as Next would, with a real Request. */
export async function call(
  handler: Handler,
  options: {
    method: string;
    path: string;
    key?: string | null;
    body?: unknown;
    rawBody?: string;
    contentType?: string;
    params?: Record<string, string>;
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary fields of JSON responses
): Promise<{ status: number; type: string | null; json: any }> {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  const body =
    options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  const request = new Request(`http://localhost${options.path}`, {
    method: options.method,
    headers,
    body,
  });
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
  const text = await response.text();

  return {
    status: response.status,
    type: response.headers.get("content-type"),
    json: text ? JSON.parse(text) : null,
  };
}

/** A valid random token of `bytes` bytes (hex, lowercase). */
export function randomToken(bytes = 32, rand: () => number = Math.random): string {
  let out = "";
  for (let i = 0; i < bytes; i++)
    out += Math.floor(rand() * 256)
      .toString(16)
      .padStart(2, "0");

  return out;
}

/** Row counts and a checksum of every registry row: equal before and after means "unchanged". */
export async function registrySnapshot(t: TestDatabase): Promise<string> {
  const devices = await t.sql.query(`SELECT * FROM "Device" ORDER BY "id"`);
  const tags = await t.sql.query(`SELECT * FROM "DeviceTag" ORDER BY "deviceId", "tag"`);
  const events = await t.sql.query(`SELECT * FROM "DeviceEvent" ORDER BY "id"`);
  const { createHash } = await import("node:crypto");
  const digest = createHash("sha256")
    .update(
      JSON.stringify([devices, tags, events], (_, v) => (typeof v === "bigint" ? String(v) : v)),
    )
    .digest("hex");

  return `${devices.length}/${tags.length}/${events.length}/${digest}`;
}
