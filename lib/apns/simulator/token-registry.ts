// Device-token states set by tests (unregistered, expired, bad, topic, environment, throttled).
// Only tokens a test marks are stored, so a million-token campaign costs nothing here.

import type { Rejection } from "./reasons";
import type { SimulatorMode } from "./types";

type TokenState = {
  unregisteredAt?: number;
  expired?: boolean;
  bad?: boolean;
  topic?: string;
  environment?: SimulatorMode;
  tooManyRequests?: boolean;
};

export class TokenRegistry {
  private states = new Map<string, TokenState>();

  private state(token: string): TokenState {
    let state = this.states.get(token);
    if (!state) {
      state = {};
      this.states.set(token, state);
    }

    return state;
  }

  register(token: string, info: { topic?: string; environment?: SimulatorMode }): void {
    const state = this.state(token);
    if (info.topic !== undefined) state.topic = info.topic;
    if (info.environment !== undefined) state.environment = info.environment;
  }

  markUnregistered(token: string, timestampMs: number): void {
    this.state(token).unregisteredAt = timestampMs;
  }

  markExpired(token: string): void {
    this.state(token).expired = true;
  }

  markBad(token: string): void {
    this.state(token).bad = true;
  }

  setTooManyRequests(token: string, on: boolean): void {
    this.state(token).tooManyRequests = on;
  }

  clear(): void {
    this.states.clear();
  }

  /**
   * The token-state checks of Apple's order, after the path is known good: bad / other environment
   * (400 BadDeviceToken, indistinguishable per docs/apns.md §1), then 410, then the topic binding.
   */
  check(token: string, topic: string, mode: SimulatorMode): Rejection | null {
    const state = this.states.get(token);
    if (!state) return null;
    if (state.bad) return { reason: "BadDeviceToken" };
    if (state.environment && state.environment !== mode) return { reason: "BadDeviceToken" };
    if (state.expired) return { reason: "ExpiredToken" };
    if (state.unregisteredAt !== undefined)
      return { reason: "Unregistered", timestamp: state.unregisteredAt };
    if (state.topic !== undefined && state.topic !== topic)
      return { reason: "DeviceTokenNotForTopic" };

    return null;
  }

  isThrottled(token: string): boolean {
    return this.states.get(token)?.tooManyRequests === true;
  }
}
