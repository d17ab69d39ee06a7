// The independent HTTP/2 servers of the interop suite (protocol: tests/interop/README.md), started as
// child processes: Go's net/http (standard library only, built here and cached by source hash) and
// Python's hyper-h2 (Debian's python3-h2 under /usr/bin/python3). Each prints its port on stdout's
// first line, then one JSON line per answered request, and exits when its stdin closes.

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

import { generateServerTls } from "@/lib/apns/simulator/tls-material";

const HERE = import.meta.dirname;
const PYTHON = "/usr/bin/python3";
const STARTUP_TIMEOUT_MS = 15_000;

/** One answered request (or GOAWAY trigger), as the server logged it. */
export type InteropEvent = {
  /** The server's connection number, from 1. */
  conn: number;
  /** The HTTP/2 stream id (hyper-h2 only; Go's handlers cannot see it). */
  stream?: number;
  status: number;
  /** The request's apns-id header ("" when it had none). */
  apnsId: string;
  reason?: string;
  /** This request asked for a GOAWAY after its answer. */
  goaway?: boolean;
  /** hyper-h2 only: DATA frames of the request body, and the largest one's flow-controlled size. */
  dataFrames?: number;
  maxDataFrame?: number;
  /** hyper-h2 only: CONTINUATION frames the request's header block took. */
  continuations?: number;
};

export type InteropServer = {
  port: number;
  caPem: string;
  /** Every event so far, in the order the server wrote them. */
  readonly events: readonly InteropEvent[];
  /** Wait until `done(events)` holds (the log trails the responses by a pipe read). */
  waitForEvents(
    done: (events: readonly InteropEvent[]) => boolean,
    timeoutMs?: number,
  ): Promise<void>;
  /** What the server wrote on stderr, for failure messages. */
  stderr(): string;
  stop(): Promise<void>;
};

export type InteropServerOptions = {
  /** SETTINGS_INITIAL_WINDOW_SIZE the server advertises (only where `capabilities` says so). */
  initialWindowSize?: number;
};

export type InteropServerKind = {
  name: string;
  capabilities: {
    /** Can advertise a small SETTINGS_INITIAL_WINDOW_SIZE. */
    initialWindowSize: boolean;
    /** Why not, when it cannot. */
    initialWindowSizeMissing?: string;
  };
  /** Throws a message naming what to install when the server's toolchain is missing. */
  prepare(): Promise<void>;
  start(tls: TlsFiles, options?: InteropServerOptions): Promise<InteropServer>;
};

export type TlsFiles = { dir: string; certFile: string; keyFile: string; caPem: string };

/** A throwaway CA and a 127.0.0.1 certificate, written to a temp dir for the servers to read. */
export function writeServerTls(): TlsFiles {
  const tls = generateServerTls();
  const dir = mkdtempSync(path.join(os.tmpdir(), "pushdeck-interop-tls-"));
  const certFile = path.join(dir, "server.pem");
  const keyFile = path.join(dir, "server-key.pem");
  writeFileSync(certFile, tls.certPem);
  writeFileSync(keyFile, tls.keyPem, { mode: 0o600 });

  return { dir, certFile, keyFile, caPem: tls.caPem };
}

export function removeServerTls(tls: TlsFiles | undefined): void {
  if (tls) rmSync(tls.dir, { recursive: true, force: true });
}

function startProcess(
  label: string,
  command: string,
  args: string[],
  caPem: string,
): Promise<InteropServer> {
  const child: ChildProcessWithoutNullStreams = spawn(command, args, {
    stdio: ["pipe", "pipe", "pipe"],
  });
  const events: InteropEvent[] = [];
  let stderr = "";
  let exited: { code: number | null; signal: string | null } | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const lines = createInterface({ input: child.stdout });

  let port = 0;
  const server: InteropServer = {
    get port() {
      return port;
    },
    caPem,
    events,
    async waitForEvents(done, timeoutMs = 3000) {
      const until = Date.now() + timeoutMs;
      while (!done(events) && Date.now() < until && !exited) {
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    stderr: () => stderr,
    async stop() {
      if (exited) return;
      child.stdin.end();
      const killer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exit;
      clearTimeout(killer);
    },
  };

  return new Promise<InteropServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`${label} did not print its port within ${STARTUP_TIMEOUT_MS} ms\n${stderr}`),
      );
    }, STARTUP_TIMEOUT_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`${label} could not start (${command}): ${error.message}`));
    });
    void exit.then(() => {
      if (port !== 0) return;
      clearTimeout(timer);
      reject(new Error(`${label} exited before listening (${JSON.stringify(exited)})\n${stderr}`));
    });
    lines.on("line", (line) => {
      if (port !== 0) {
        try {
          events.push(JSON.parse(line) as InteropEvent);
        } catch {
          stderr += `\n(unparsed stdout) ${line}`;
        }

        return;
      }
      clearTimeout(timer);
      const chosen = Number(line.trim());
      if (!Number.isInteger(chosen) || chosen <= 0) {
        child.kill("SIGKILL");
        reject(new Error(`${label} printed "${line}" instead of its port\n${stderr}`));

        return;
      }
      port = chosen;
      resolve(server);
    });
  });
}

// --- Go: net/http's bundled HTTP/2 server, standard library only -------------------------------

const GO_SOURCE = path.join(HERE, "go-server", "main.go");
let goBinary: string | null = null;

function findGo(): string {
  for (const candidate of ["go", "/usr/lib/go/bin/go"]) {
    const probe = spawnSync(candidate, ["version"], { encoding: "utf8" });
    if (probe.status === 0) return candidate;
  }
  throw new Error(
    "The interop suite needs Go to build its net/http server, and `go` was not found. " +
      "Install Debian's Go: `apt-get install -y golang-go` (.ci/run does this).",
  );
}

/**
 * A per-user cache outside node_modules (which `npm ci` wipes): the built server, by source hash.
 * Owned by us and private, so nobody else can plant a binary there.
 */
function cacheDir(): string {
  const uid = process.getuid?.() ?? 0;
  const dir = path.join(os.tmpdir(), `pushdeck-interop-${uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = statSync(dir);
  if (stat.uid !== uid || (stat.mode & 0o022) !== 0) {
    throw new Error(`${dir} is not a private directory of this user; remove it`);
  }

  return dir;
}

/** Build the Go server once per source (and Go version); later runs reuse the binary. */
function buildGoServer(): string {
  if (goBinary) return goBinary;
  const go = findGo();
  const version = spawnSync(go, ["version"], { encoding: "utf8" }).stdout.trim();
  const hash = createHash("sha256")
    .update(version)
    .update(readFileSync(GO_SOURCE))
    .digest("hex")
    .slice(0, 16);
  const cache = cacheDir();
  const binary = path.join(cache, `go-server-${hash}`);
  if (existsSync(binary)) return (goBinary = binary);

  const buildDir = mkdtempSync(path.join(cache, "build-"));
  try {
    // No -trimpath: it would recompile the whole standard library instead of using Debian's
    // prebuilt packages (a minute against two seconds).
    const built = spawnSync(go, ["build", "-o", path.join(buildDir, "go-server"), GO_SOURCE], {
      encoding: "utf8",
      cwd: path.dirname(GO_SOURCE),
      env: {
        ...process.env,
        // Standard library only: no modules, no proxy, no toolchain download.
        GO111MODULE: "off",
        GOPROXY: "off",
        GOTOOLCHAIN: "local",
        GOFLAGS: "",
        // Go's own cache unless it has no home to put it in.
        ...(process.env.GOCACHE || process.env.HOME || process.env.XDG_CACHE_HOME
          ? {}
          : { GOCACHE: path.join(cache, "go-build") }),
      },
    });
    if (built.status !== 0) {
      throw new Error(
        `go build of ${GO_SOURCE} failed (${version}):\n${built.stderr}${built.stdout}`,
      );
    }
    // Rename into place: a concurrent build of the same source ends with the same file.
    renameSync(path.join(buildDir, "go-server"), binary);
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }

  return (goBinary = binary);
}

export const goServer: InteropServerKind = {
  name: "Go net/http",
  capabilities: {
    initialWindowSize: false,
    initialWindowSizeMissing:
      "Go 1.19's net/http keeps its HTTP/2 server settings unexported (MaxUploadBufferPerStream " +
      "is reachable only through golang.org/x/net/http2, which is not the standard library)",
  },
  async prepare() {
    buildGoServer();
  },
  start(tls, options = {}) {
    if (options.initialWindowSize !== undefined) {
      throw new Error("the Go server cannot set SETTINGS_INITIAL_WINDOW_SIZE");
    }

    return startProcess(
      "the Go server",
      buildGoServer(),
      ["-cert", tls.certFile, "-key", tls.keyFile],
      tls.caPem,
    );
  },
};

// --- Python: hyper-h2 -------------------------------------------------------------------------

const PYTHON_SOURCE = path.join(HERE, "h2_server.py");

export const pythonH2Server: InteropServerKind = {
  name: "Python hyper-h2",
  capabilities: { initialWindowSize: true },
  async prepare() {
    const probe = spawnSync(PYTHON, ["-c", "import h2, hyperframe; print(h2.__version__)"], {
      encoding: "utf8",
    });
    if (probe.status !== 0) {
      throw new Error(
        `The interop suite needs Debian's python3-h2 for ${PYTHON} ` +
          `(${probe.error ? probe.error.message : probe.stderr.trim().split("\n").pop()}). ` +
          "Install it: `apt-get install -y python3-h2` (.ci/run does this).",
      );
    }
  },
  start(tls, options = {}) {
    const args = [PYTHON_SOURCE, "--cert", tls.certFile, "--key", tls.keyFile];
    if (options.initialWindowSize !== undefined) {
      args.push("--initial-window-size", String(options.initialWindowSize));
    }

    return startProcess("the hyper-h2 server", PYTHON, args, tls.caPem);
  },
};
