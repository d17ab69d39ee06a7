import { resolveDatabaseConfig } from "@/lib/db/config";
import { applyPendingMigrations } from "@/lib/db/schema-engine";
import type { Command } from "./types";

const migrate: Command = async () => {
  const config = resolveDatabaseConfig();
  if (config.provider === "sqlite") {
    const { mkdirSync } = await import("node:fs");
    const path = await import("node:path");
    mkdirSync(path.dirname(config.file), { recursive: true });
  }
  const applied = await applyPendingMigrations(config);
  console.log(
    applied.length
      ? `applied on ${config.provider}: ${applied.join(", ")}`
      : `${config.provider}: already up to date`,
  );

  return 0;
};

export default migrate;
