// Throughput check: spawns the simulator CLI as a child process (one core) and drives it with raw
// node:http2 clients. Usage: npm run bench:simulator -- [seconds] [connections] [streams]

import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:http2";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { ProviderTokenSource } from "@/lib/apns";

async function main() {
  const [seconds = 5, connections = 4, streams = 200] = process.argv.slice(2).map(Number);
  const key = {
    keyId: "KEY1234567",
    teamId: "TEAM123456",
    privateKeyPem: generateKeyPairSync("ec", { namedCurve: "prime256v1" })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString(),
  };
  const keyFile = `/tmp/pushdeck-bench-key-${process.pid}.p8`;
  writeFileSync(keyFile, key.privateKeyPem);
  const cli = fileURLToPath(new URL("../lib/apns/simulator/run-cli.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/simprof"] : []),
      "--import",
      "tsx",
      cli,
      "--key-file",
      keyFile,
      "--key-id",
      key.keyId,
      "--team-id",
      key.teamId,
      "--max-streams",
      "1000",
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const ready = JSON.parse(
    await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout! }).once("line", resolve),
    ),
  );
  const ca = readFileSync(ready.caFile, "utf8");
  const { token: jwt } = await new ProviderTokenSource(key).get();
  const body = JSON.stringify({
    aps: { alert: { title: "Hello", body: "A benchmark notification" } },
  });

  let done = 0;
  let failed = 0;
  const deadline = Date.now() + seconds * 1000;
  const worker = async () => {
    const session = connect(`https://127.0.0.1:${ready.port}`, { ca, servername: "localhost" });
    let n = 0;
    const one = (): Promise<void> =>
      new Promise((resolve) => {
        const token = (n++).toString(16).padStart(64, "0");
        const req = session.request({
          ":method": "POST",
          ":path": `/3/device/${token}`,
          "apns-topic": "com.example.app",
          "apns-push-type": "alert",
          authorization: `bearer ${jwt}`,
        });
        req.on("response", (h) => (h[":status"] === 200 ? done++ : failed++));
        req.on("error", () => failed++);
        req.on("close", resolve);
        req.resume();
        req.end(body);
      });
    await one(); // the first success raises the stream limit
    await new Promise((r) => setTimeout(r, 20));
    await Promise.all(
      Array.from({ length: streams }, async () => {
        while (Date.now() < deadline) await one();
      }),
    );
    session.close();
  };
  // Server CPU seconds from /proc (Linux): utime + stime in clock ticks (100/s).
  const cpu = () =>
    readFileSync(`/proc/${child.pid}/stat`, "utf8")
      .split(") ")[1]
      .split(" ")
      .slice(11, 13)
      .reduce((a, b) => a + Number(b), 0) / 100;
  const cpuBefore = cpu();
  const started = Date.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (Date.now() - started) / 1000;
  const serverCpu = cpu() - cpuBefore;
  console.log(
    JSON.stringify({
      seconds: elapsed,
      ok: done,
      failed,
      perSecond: Math.round(done / elapsed),
      serverCpuSeconds: serverCpu,
      perServerCpuSecond: Math.round(done / serverCpu),
    }),
  );
  child.kill("SIGTERM");
}

void main();
