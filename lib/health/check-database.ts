import { getDb, getDbConfig } from "@/lib/db/client";
import type { DatabaseProvider } from "@/lib/db/config";

export type DatabaseHealth =
  | { ok: true; provider: DatabaseProvider; latencyMs: number }
  | { ok: false; provider: DatabaseProvider; error: unknown };

/**
 * Whether the database answers, and how fast (GET /api/health). Public and data-free, so it is one
 * of the few functions without an actor (docs/data-access.md). A failure comes back as the error
 * the driver threw; what of it a caller may show is the caller's decision.
 */
export async function checkDatabase(): Promise<DatabaseHealth> {
  const { provider } = getDbConfig();
  const started = performance.now();
  try {
    await getDb().$queryRawUnsafe("SELECT 1");

    return { ok: true, provider, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { ok: false, provider, error };
  }
}
