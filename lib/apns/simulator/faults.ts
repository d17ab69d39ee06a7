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
  goAwayEveryStreams: 0,
  idleTimeoutMs: 0,
  dropStreamsOnReject: 0,
};

/**
 * The `--faults` mix of the benchmarks (bench:apns, `pushdeck bench`, `pushdeck simulator`): 5 ms
 * latency, 1 stream until the first success (always on), the limit dropped to 1 after every injected
 * rejection until the next success, 3% 503 ServiceUnavailable, 1% 429 TooManyRequests, a GOAWAY every
 * 5,000 streams the server receives (server-wide: with 0.2% resets a connection seldom lives 5,000
 * streams of its own), 0.2% of requests ending in a socket reset.
 */
export const FAULT_PRESET: Readonly<Partial<SimulatorFaults>> = Object.freeze({
  latencyMs: 5,
  dropStreamsOnReject: 1,
  rate503: 0.03,
  rate429: 0.01,
  goAwayEveryStreams: 5000,
  resetRate: 0.002,
});

/** One line for benchmark headers: "latencyMs 5, dropStreamsOnReject 1, …". */
export function describeFaults(faults: Partial<SimulatorFaults>): string {
  return Object.entries(faults)
    .map(([key, value]) => `${key} ${value}`)
    .join(", ");
}

export type FaultOutcome =
  "none" | "reset" | "TooManyRequests" | "InternalServerError" | "ServiceUnavailable" | "Shutdown";

export function mergeFaults(
  current: SimulatorFaults,
  patch: Partial<SimulatorFaults>,
): SimulatorFaults {
  const next = { ...current };
  for (const key of Object.keys(DEFAULT_FAULTS) as (keyof SimulatorFaults)[]) {
    const raw: unknown = patch[key];
    if (raw === undefined) continue;
    // The on/off fault also takes JSON booleans from the admin API.
    const value = key === "dropStreamsOnReject" && typeof raw === "boolean" ? Number(raw) : raw;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new Error(`fault ${key} must be a non-negative number`);
    }
    if (key === "dropStreamsOnReject" && value !== 0 && value !== 1)
      throw new Error("fault dropStreamsOnReject must be 0 or 1");
    if (key === "goAwayEveryStreams" && !Number.isInteger(value))
      throw new Error("fault goAwayEveryStreams must be a whole number");
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
