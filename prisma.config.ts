import { defineConfig } from "prisma/config";

// Both clients are generated (scripts/prisma-generate.mjs); this config picks the folder that matches
// DATABASE_URL for the Prisma CLI's other commands.
const isPostgres = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? "");
const folder = isPostgres ? "prisma/postgresql" : "prisma/sqlite";

export default defineConfig({
  schema: folder,
  migrations: { path: `${folder}/migrations` },
});
