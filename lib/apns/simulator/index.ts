// Public entry of the APNs simulator (see README.md in this folder).

export { startSimulator } from "./server";
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
