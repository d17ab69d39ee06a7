// Everything the simulator saw, for "nothing lost, nothing duplicated" assertions. Memory stays
// bounded per request: per-token and per-apns-id counters are plain Map<string, number> (about
// 100 bytes an entry, ~250 MB at a million tokens), recent notifications live in a fixed ring.

import type { RecentNotification, SimulatorCounts, TokenCounts } from "./types";

export class Counters {
  received = 0;
  accepted = 0;
  connectionsOpened = 0;
  connectionsActive = 0;
  goawaysSent = 0;
  resetsDone = 0;
  resetsAfterAccept = 0;
  refusedStreams = 0;
  private byStatus = new Map<number, number>();
  private byReason = new Map<string, number>();
  private receivedByToken = new Map<string, number>();
  private acceptedByToken = new Map<string, number>();
  private acceptedById = new Map<string, number>();
  private duplicateTokens = 0;
  private duplicates = 0;
  private duplicateAccepts = 0;
  private ring: (RecentNotification | undefined)[];
  private ringBodies: (Buffer | null)[];
  private ringNext = 0;

  constructor(private readonly recentCapacity: number) {
    this.ring = new Array(recentCapacity);
    this.ringBodies = new Array(recentCapacity).fill(null);
  }

  /** Called once per answered (or reset) request. `accepted` = a 200 went out or a reset ate it. */
  record(entry: RecentNotification, body: Buffer | null, accepted: boolean): void {
    this.received++;
    this.byStatus.set(entry.status, (this.byStatus.get(entry.status) ?? 0) + 1);
    if (entry.reason) this.byReason.set(entry.reason, (this.byReason.get(entry.reason) ?? 0) + 1);
    if (entry.token) this.receivedByToken.set(entry.token, (this.receivedByToken.get(entry.token) ?? 0) + 1);
    if (accepted) this.recordAccept(entry);
    if (this.recentCapacity > 0) {
      this.ring[this.ringNext] = entry;
      this.ringBodies[this.ringNext] = body;
      this.ringNext = (this.ringNext + 1) % this.recentCapacity;
    }
  }

  private recordAccept(entry: RecentNotification): void {
    this.accepted++;
    const byToken = (this.acceptedByToken.get(entry.token) ?? 0) + 1;
    this.acceptedByToken.set(entry.token, byToken);
    if (byToken === 2) this.duplicateTokens++;
    const byId = (this.acceptedById.get(entry.apnsId) ?? 0) + 1;
    this.acceptedById.set(entry.apnsId, byId);
    if (byId === 2) this.duplicates++;
    if (byId > 1) this.duplicateAccepts++;
  }

  counts(): SimulatorCounts {
    return {
      received: this.received,
      accepted: this.accepted,
      byStatus: Object.fromEntries(this.byStatus),
      byReason: Object.fromEntries(this.byReason),
      distinctTokens: this.receivedByToken.size,
      acceptedTokens: this.acceptedByToken.size,
      duplicateTokens: this.duplicateTokens,
      duplicates: this.duplicates,
      duplicateAccepts: this.duplicateAccepts,
      connectionsOpened: this.connectionsOpened,
      connectionsActive: this.connectionsActive,
      goawaysSent: this.goawaysSent,
      resetsDone: this.resetsDone,
      resetsAfterAccept: this.resetsAfterAccept,
      refusedStreams: this.refusedStreams,
    };
  }

  tokenCounts(token: string): TokenCounts {
    return { received: this.receivedByToken.get(token) ?? 0, accepted: this.acceptedByToken.get(token) ?? 0 };
  }

  /** Newest first. */
  recent(limit = 50): RecentNotification[] {
    const out: RecentNotification[] = [];
    const size = this.recentCapacity;
    for (let i = 1; i <= size && out.length < limit; i++) {
      const index = (this.ringNext - i + size) % size;
      const entry = this.ring[index];
      if (!entry) break;
      out.push({ ...entry, payload: this.ringBodies[index]?.toString() ?? "" });
    }

    return out;
  }

  /** Zeroes everything except connectionsActive, which describes the present, not history. */
  reset(): void {
    const active = this.connectionsActive;
    Object.assign(this, new Counters(this.recentCapacity));
    this.connectionsActive = active;
  }
}
