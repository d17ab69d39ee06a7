import { defineConfig } from "vitest/config";
import path from "node:path";

const alias = {
  "@": path.resolve(import.meta.dirname),
  "server-only": path.resolve(import.meta.dirname, "tests/stubs/server-only.ts"),
};

// Three projects: pure unit tests, and the integration suite run once per database.
// Integration tests read PUSHDECK_TEST_DB to decide which database they create.
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts"],
          environment: "node",
          testTimeout: 20_000,
          // next-auth imports `next/server` without an extension; let Vite resolve it.
          server: { deps: { inline: ["next-auth"] } },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "sqlite",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          env: { PUSHDECK_TEST_DB: "sqlite" },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "postgresql",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          env: { PUSHDECK_TEST_DB: "postgresql" },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
