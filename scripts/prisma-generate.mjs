// Generates both Prisma clients (SQLite and PostgreSQL) so that one build serves either database.
// Prisma's CLI wants its native schema engine, which cannot be downloaded here; generate does not
// use it, so a stub that fails loudly stands in (docs/platform-notes.md).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY:
    process.env.PRISMA_SCHEMA_ENGINE_BINARY || path.join(root, "scripts/lib/no-schema-engine.sh"),
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
const prisma = path.join(root, "node_modules/prisma/build/index.js");
for (const provider of ["sqlite", "postgresql"]) {
  execFileSync(process.execPath, [prisma, "generate", "--schema", `prisma/${provider}`], {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
}
console.log("prisma: generated the SQLite and PostgreSQL clients in lib/db/generated");
