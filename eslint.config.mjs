import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// lib/apns is a library with three public entries (issue 9): `@/lib/apns` (server code),
// `@/lib/apns/browser` (its isomorphic part, for client components) and `@/lib/apns/simulator`
// (demo mode, the `pushdeck simulator` CLI, the benchmarks). Production code imports nothing else
// of it; tests may import its internals (test helpers, certificates, single modules).
const APNS_DEEP_IMPORTS = [
  {
    regex: "^@/lib/apns/(?!(?:browser|simulator)$)",
    message:
      "Import lib/apns through its public entries: @/lib/apns, @/lib/apns/browser (client components) or @/lib/apns/simulator",
  },
  {
    // ../lib/apns… from scripts/, ../apns… from lib/*, ./apns… from lib/.
    regex: "^\\.\\.?/(?:\\.\\./)*(?:lib/)?apns(?:/|$)",
    message:
      "Import lib/apns through @/lib/apns, @/lib/apns/browser or @/lib/apns/simulator, not a relative path",
  },
];

// Inside lib/apns: nothing from the app or the framework, and no relative path out of the folder.
// `depth` is how many folders below lib/apns the file sits.
const APNS_LIBRARY_IMPORTS = (depth) => [
  {
    group: ["@/*", "next", "next/*", "@prisma/*"],
    message: "lib/apns imports nothing from the app or the framework",
  },
  {
    regex: `^(?:\\.\\./){${depth + 1}}`,
    message: "lib/apns imports nothing outside lib/apns",
  },
];

// browser.ts and what it exports must stay isomorphic: no node builtins or node-only packages, and
// relative imports only among these files.
const APNS_ISOMORPHIC = [
  "browser",
  "payload",
  "payload-types",
  "payload-checks",
  "push-types",
  "header-checks",
  "reasons",
  "transport-reasons",
  "outcome",
];

// One data path (docs/data-access.md): pages, components and server actions reach data through the
// lib/<domain> functions, which take the actor and authorize first; never lib/db or Prisma itself.
const DATA_LAYER_IMPORTS = [
  {
    regex: "^@/lib/db(?:/|$)|^@prisma/|^\\.prisma(?:/|$)",
    message:
      "Pages, components and server actions reach data through a lib/<domain> function that takes the actor (docs/data-access.md), not lib/db or Prisma",
  },
  {
    // ../../lib/db… from app/ or components/, ../db… from lib/<domain>/actions.ts.
    regex: "^(?:\\.\\./)+(?:lib/)?db(?:/|$)",
    message:
      "Pages, components and server actions reach data through a lib/<domain> function that takes the actor (docs/data-access.md), not lib/db",
  },
];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    "node_modules/**",
    "lib/db/generated/**",
    "data/**",
    ".tmp/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
  ]),
  {
    // `_` names a value that is there to be skipped (a rest-sibling omit, an ignored loop item).
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "warn",
        { varsIgnorePattern: "^_", argsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Production code reaches lib/apns only through its public entries. Test files may import
    // internals (test-helpers.ts, test-certificates.ts, tls-material.ts, single modules).
    files: ["**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}"],
    ignores: ["lib/apns/**", "**/*.test.{ts,tsx}", "tests/**", "e2e/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: APNS_DEEP_IMPORTS }],
    },
  },
  {
    // app/**, components/** and server actions: no lib/db, no Prisma. This block replaces the one
    // above for these files (a later no-restricted-imports wins), so it repeats the lib/apns rule.
    files: [
      "app/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}",
      "components/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}",
      "lib/**/actions.ts",
    ],
    ignores: ["**/*.test.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [...APNS_DEEP_IMPORTS, ...DATA_LAYER_IMPORTS] },
      ],
    },
  },
  {
    // lib/apns is a library: it must not reach into the app (docs/architecture.md, decision 3).
    files: ["lib/apns/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: APNS_LIBRARY_IMPORTS(0) }],
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "lib/apns takes its configuration as arguments, not from process.env",
        },
      ],
    },
  },
  {
    // simulator/, h2/: one folder down (a deeper folder needs its own block).
    files: ["lib/apns/*/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: APNS_LIBRARY_IMPORTS(1) }] },
  },
  {
    files: APNS_ISOMORPHIC.map((name) => `lib/apns/${name}.ts`),
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...APNS_LIBRARY_IMPORTS(0),
            {
              group: ["node:*", "node-forge", "jose"],
              message:
                "lib/apns/browser.ts and the files it exports are isomorphic: no node imports",
            },
            {
              regex: `^\\./(?!(?:${APNS_ISOMORPHIC.join("|")})$)`,
              message:
                "lib/apns/browser.ts and the files it exports import only each other (they run in the browser)",
            },
          ],
        },
      ],
    },
  },
]);
