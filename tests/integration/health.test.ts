import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/health/route";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

// /api/health answers from the process-wide client of DATABASE_URL; each case points it elsewhere.
const globals = globalThis as { pushdeckDb?: unknown };
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

function useDatabase(url: string) {
  process.env.DATABASE_URL = url;
  globals.pushdeckDb = undefined;
}

describe(`GET /api/health on ${testProvider()}`, () => {
  it("is 200 with the database kind when the database answers", async () => {
    useDatabase(t.config.url);
    process.env.PUSHDECK_DEMO = "1";
    const response = await GET();
    expect(response.status).toBe(200);
    // Anyone may ask: the answer is the status and the database kind, nothing else (not demo mode,
    // whose accounts share a published password, nor the version).
    expect(await response.json()).toEqual({ status: "ok", database: testProvider() });
  });

  it("is 503 when the database is unreachable, without the reason", async () => {
    useDatabase(
      testProvider() === "sqlite"
        ? "file:/proc/no-such-dir/pushdeck.db"
        : "postgresql://postgres@127.0.0.1:1/nowhere",
    );
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await GET();
    expect(logged).toHaveBeenCalledWith(
      "[health] the database does not answer:",
      expect.anything(),
    );
    logged.mockRestore();
    expect(response.status).toBe(503);
    // The database's own error (host names, paths) goes to the server's log only.
    expect(await response.json()).toEqual({ status: "error", database: testProvider() });
  });
});
