import { resolveDatabaseConfig } from "@/lib/db/config";
import { applyPendingMigrations } from "@/lib/db/schema-engine";

/**
 * CLI commands that touch data first bring the schema up to date, as the server does at start.
 * Returns the database kind and the migrations applied now.
 */
export async function bootstrapForCli(): Promise<{ provider: string; applied: string[] }> {
  const config = resolveDatabaseConfig();

  return { provider: config.provider, applied: await applyPendingMigrations(config) };
}
