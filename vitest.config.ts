import { defineConfig } from "vitest/config";
import path from "node:path";

const alias = {
  "@": path.resolve(import.meta.dirname),
  "server-only": path.resolve(import.meta.dirname, "tests/stubs/server-only.ts"),
};

// Four projects: pure unit tests, the integration suite run once per database, and the sender's
// interop suite against independent HTTP/2 servers (Go's net/http, Python's hyper-h2; tests/interop).
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
          name: "interop",
          include: ["tests/interop/**/*.test.ts"],
          environment: "node",
          testTimeout: 20_000,
          // beforeAll builds the Go server when its source changed (seconds; longer on a cold Go cache).
          hookTimeout: 120_000,
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
          server: { deps: { inline: ["next-auth"] } },
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
          server: { deps: { inline: ["next-auth"] } },
        },
      },
    ],
  },
});
