// Direct entry for child processes and benchmarks: `npx tsx lib/apns/simulator/run-cli.ts --port 0 …`.

import { runSimulatorCli } from "./cli";

runSimulatorCli(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
