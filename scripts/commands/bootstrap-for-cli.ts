import { resolveDatabaseConfig } from "@/lib/db/config";
import { applyPendingMigrations } from "@/lib/db/schema-engine";

/** CLI commands that touch data first bring the schema up to date, as the server does at start. */
export async function bootstrapForCli(): Promise<void> {
  const config = resolveDatabaseConfig();
  if (config.provider === "sqlite") {
    const { mkdirSync } = await import("node:fs");
    const path = await import("node:path");
    mkdirSync(path.dirname(config.file), { recursive: true });
  }
  await applyPendingMigrations(config);
}
