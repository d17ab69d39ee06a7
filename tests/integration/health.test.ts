import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ok",
      database: testProvider(),
      databaseLatencyMs: expect.any(Number),
    });
  });

  it("is 503 with the reason when the database is unreachable", async () => {
    useDatabase(
      testProvider() === "sqlite"
        ? "file:/proc/no-such-dir/pushdeck.db"
        : "postgresql://postgres@127.0.0.1:1/nowhere",
    );
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: "error",
      database: testProvider(),
      error: expect.any(String),
    });
  });
});
