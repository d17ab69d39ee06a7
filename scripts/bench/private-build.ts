import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A production build of the committed HEAD in a folder of its own, so the benchmark neither
 * measures someone's work in progress nor overwrites the shared .next while others run it.
 * node_modules is hard-linked (Turbopack refuses a symlinked one); builds are cached per commit.
 */
export function privateBuild(root: string, log: (m: string) => void): string {
  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root })
    .toString()
    .trim();
  const dir = path.join(tmpdir(), `pushdeck-bench-build-${commit}`);
  if (existsSync(path.join(dir, ".next/BUILD_ID"))) return dir;
  log(`building HEAD ${commit} in ${dir} …`);
  mkdirSync(dir, { recursive: true });
  execFileSync("sh", ["-c", `git archive HEAD | tar -x -C "${dir}"`], { cwd: root });
  if (!existsSync(path.join(dir, "node_modules")))
    execFileSync("cp", ["-al", path.join(root, "node_modules"), path.join(dir, "node_modules")]);
  cpSync(path.join(root, "lib/db/generated"), path.join(dir, "lib/db/generated"), {
    recursive: true,
  });
  const build = spawnSync(
    process.execPath,
    [path.join(dir, "node_modules/next/dist/bin/next"), "build"],
    { cwd: dir, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } },
  );
  if (build.status !== 0) throw new Error(`next build failed in ${dir}`);
  // The rest of `npm run build`: the compiled server (scripts/build-server.mjs), where HEAD has one.
  if (existsSync(path.join(dir, "scripts/build-server.mjs")))
    execFileSync(process.execPath, [path.join(dir, "scripts/build-server.mjs")], {
      cwd: dir,
      stdio: "inherit",
    });

  return dir;
}
