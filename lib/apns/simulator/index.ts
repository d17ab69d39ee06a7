// Public entry of the APNs simulator (see README.md in this folder): what demo mode, the
// `pushdeck simulator` CLI and the benchmarks use. Test helpers (test-helpers.ts,
// test-certificates.ts) are not exported: tests import them directly.

export { startSimulator } from "./server";
export { runSimulatorCli } from "./cli";
export { FAULT_PRESET, describeFaults } from "./faults";
export { createRandom, type Random } from "./prng";
export { REASON_STATUS, type SimulatorReason } from "./reasons";
export type {
  DuplicateIds,
  KeyEnvironment,
  RecentNotification,
  Simulator,
  SimulatorCounts,
  SimulatorFaults,
  SimulatorKey,
  SimulatorMode,
  SimulatorOptions,
  TlsMaterial,
  TokenCounts,
} from "./types";
