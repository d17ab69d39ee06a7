import { runSimulatorCli } from "@/lib/apns/simulator";
import type { Command } from "./types";

/** Runs the built-in APNs simulator until SIGINT/SIGTERM (flags: see lib/apns/simulator/README.md). */
const simulator: Command = async (argv) => {
  await runSimulatorCli(argv);

  return 0;
};

export default simulator;
