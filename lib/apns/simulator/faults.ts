// Fault injection settings and the per-request draw. One PRNG draw decides the fate of a request
// that passed validation, so a given seed and request order always produce the same faults.

import type { Random } from "./prng";
import type { SimulatorFaults } from "./types";

export const DEFAULT_FAULTS: SimulatorFaults = {
  latencyMs: 0,
  rate429: 0,
  rate500: 0,
  rate503: 0,
  rateShutdown: 0,
  resetRate: 0,
  goAwayAfterStreams: 0,
  idleTimeoutMs: 0,
};

export type FaultOutcome =
  "none" | "reset" | "TooManyRequests" | "InternalServerError" | "ServiceUnavailable" | "Shutdown";

export function mergeFaults(
  current: SimulatorFaults,
  patch: Partial<SimulatorFaults>,
): SimulatorFaults {
  const next = { ...current };
  for (const key of Object.keys(DEFAULT_FAULTS) as (keyof SimulatorFaults)[]) {
    const value = patch[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new Error(`fault ${key} must be a non-negative number`);
    }
    next[key] = value;
  }

  return next;
}

/** Cumulative bands over one draw: reset, 429, 500, 503, Shutdown, else none. */
export function drawFault(faults: SimulatorFaults, random: Random): FaultOutcome {
  const total =
    faults.resetRate + faults.rate429 + faults.rate500 + faults.rate503 + faults.rateShutdown;
  if (total === 0) return "none";

  let x = random();
  if ((x -= faults.resetRate) < 0) return "reset";
  if ((x -= faults.rate429) < 0) return "TooManyRequests";
  if ((x -= faults.rate500) < 0) return "InternalServerError";
  if ((x -= faults.rate503) < 0) return "ServiceUnavailable";
  if ((x -= faults.rateShutdown) < 0) return "Shutdown";

  return "none";
}
