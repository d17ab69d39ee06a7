// Compiles server.ts (the request edge, the registration fast path and start-up) into one ES module,
// .next/pushdeck/server.mjs, that `npm start` runs with plain node: no TypeScript at run time
// (docs/decisions/0001-request-edge.md). Part of `npm run build`, after `next build`; ~0.3 s.
// Packages stay external (node_modules is there at run time); our own code is bundled.
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const SERVER_BUNDLE = path.join(root, ".next/pushdeck/server.mjs");

// Next-only code must not reach the server bundle: it needs Next's request scope or its bundler
// (react-server conditions), and a second copy of it beside Next's would be the duplication the
// fast path is built to avoid. Route files (app/) are Next's alone.
const FORBIDDEN_PACKAGES = ["server-only", "next-auth", "next/headers", "next/navigation", "react"];

export async function buildServer() {
  const result = await build({
    entryPoints: [path.join(root, "server.ts")],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: path.join(root, "tsconfig.json"),
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
  });
  const output =
    result.metafile.outputs[path.relative(process.cwd(), SERVER_BUNDLE)] ??
    Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  const imported = (output?.imports ?? []).map((i) => i.path);
  const forbidden = imported.filter((p) =>
    FORBIDDEN_PACKAGES.some((f) => p === f || p.startsWith(`${f}/`)),
  );
  const routeFiles = Object.keys(result.metafile.inputs).filter((p) => /(^|\/)app\//.test(p));
  if (forbidden.length || routeFiles.length)
    throw new Error(
      `server.ts must not import Next-only code; found ${[...forbidden, ...routeFiles].join(", ")}`,
    );

  return SERVER_BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildServer();
  console.log(`[pushdeck] server compiled: ${path.relative(root, out)}`);
}
