// Everything the simulator saw, for "nothing lost, nothing duplicated" assertions. Memory stays
// bounded per request: recent notifications live in a fixed ring, and per-token / per-apns-id
// counters are Map<string, number> keyed by the raw bytes (a 64-hex token becomes a 32-char string)
// with received and accepted packed into one number, so a million tokens cost well under 200 MB.

const HEX = /^(?:[0-9a-f]{2})+$/;
const UUID_DASHES = /-/g;
// received * ACCEPTED_SPAN + accepted; 2^21 accepts per token is far beyond any test.
const ACCEPTED_SPAN = 2 ** 21;
/** apns-ids accepted more than once are listed up to this many (10,000 × ~90 bytes). */
export const MAX_DUPLICATE_IDS = 10_000;
/** How many of them counts() carries (`duplicateIds`); duplicateIds() pages through the rest. */
export const DUPLICATE_IDS_IN_COUNTS = 100;

/** Compact, flat map key: hex decoded to a latin1 string (half the length, no sliced parent). */
function compactKey(hexOrOther: string): string {
  return HEX.test(hexOrOther)
    ? Buffer.from(hexOrOther, "hex").toString("latin1")
    : `~${hexOrOther}`;
}

import type { DuplicateIds, RecentNotification, SimulatorCounts, TokenCounts } from "./types";

export class Counters {
  received = 0;
  accepted = 0;
  connectionsOpened = 0;
  connectionsActive = 0;
  goawaysSent = 0;
  connectionsBroken = 0;
  streamLimitDrops = 0;
  resetsDone = 0;
  resetsAfterAccept = 0;
  refusedStreams = 0;
  private byStatus = new Map<number, number>();
  private byReason = new Map<string, number>();
  private byToken = new Map<string, number>();
  private acceptedTokens = 0;
  private acceptedById = new Map<string, number>();
  private duplicateTokens = 0;
  private duplicates = 0;
  private duplicateAccepts = 0;
  /** The apns-ids behind `duplicates`, lowercase, in the order they became duplicates (bounded). */
  private duplicateIdList: string[] = [];
  private ring: (RecentNotification | undefined)[];
  private ringBodies: (Buffer | null)[];
  private ringNext = 0;

  constructor(private readonly recentCapacity: number) {
    this.ring = new Array(recentCapacity);
    this.ringBodies = new Array(recentCapacity).fill(null);
  }

  /**
   * Called once per answered (or reset) request. `accepted` = a 200 went out or a reset ate it.
   * `idFromClient`: only client-chosen apns-ids can repeat, so only those are remembered.
   */
  record(
    entry: RecentNotification,
    body: Buffer | null,
    accepted: boolean,
    idFromClient = true,
  ): void {
    this.received++;
    this.byStatus.set(entry.status, (this.byStatus.get(entry.status) ?? 0) + 1);
    if (entry.reason) this.byReason.set(entry.reason, (this.byReason.get(entry.reason) ?? 0) + 1);
    if (entry.token) this.recordToken(entry.token, accepted);
    if (accepted) this.recordAccept(entry, idFromClient);
    if (this.recentCapacity > 0) {
      this.ring[this.ringNext] = entry;
      this.ringBodies[this.ringNext] = body;
      this.ringNext = (this.ringNext + 1) % this.recentCapacity;
    }
  }

  private recordToken(token: string, accepted: boolean): void {
    const key = compactKey(token);
    const packed = (this.byToken.get(key) ?? 0) + ACCEPTED_SPAN + (accepted ? 1 : 0);
    this.byToken.set(key, packed);
    if (!accepted) return;
    const acceptedCount = packed % ACCEPTED_SPAN;
    if (acceptedCount === 1) this.acceptedTokens++;
    if (acceptedCount === 2) this.duplicateTokens++;
  }

  private recordAccept(entry: RecentNotification, idFromClient: boolean): void {
    this.accepted++;
    if (!idFromClient) return;
    // Accepted ⇒ the id passed the UUID check (or we generated it), so it is hex once undashed and
    // hex decoding ignores case: the same key compactKey() gave, without the lowercase copy and regex.
    const key = Buffer.from(entry.apnsId.replace(UUID_DASHES, ""), "hex").toString("latin1");
    const byId = (this.acceptedById.get(key) ?? 0) + 1;
    this.acceptedById.set(key, byId);
    if (byId === 2) {
      this.duplicates++;
      if (this.duplicateIdList.length < MAX_DUPLICATE_IDS)
        this.duplicateIdList.push(entry.apnsId.toLowerCase());
    }
    if (byId > 1) this.duplicateAccepts++;
  }

  counts(): SimulatorCounts {
    return {
      received: this.received,
      accepted: this.accepted,
      byStatus: Object.fromEntries(this.byStatus),
      byReason: Object.fromEntries(this.byReason),
      distinctTokens: this.byToken.size,
      acceptedTokens: this.acceptedTokens,
      duplicateTokens: this.duplicateTokens,
      duplicates: this.duplicates,
      duplicateAccepts: this.duplicateAccepts,
      duplicateIds: this.duplicateIdList.slice(0, DUPLICATE_IDS_IN_COUNTS),
      connectionsOpened: this.connectionsOpened,
      connectionsActive: this.connectionsActive,
      goawaysSent: this.goawaysSent,
      connectionsBroken: this.connectionsBroken,
      streamLimitDrops: this.streamLimitDrops,
      resetsDone: this.resetsDone,
      resetsAfterAccept: this.resetsAfterAccept,
      refusedStreams: this.refusedStreams,
    };
  }

  tokenCounts(token: string): TokenCounts {
    const packed = this.byToken.get(compactKey(token)) ?? 0;

    return { received: Math.floor(packed / ACCEPTED_SPAN), accepted: packed % ACCEPTED_SPAN };
  }

  /** A page of the apns-ids accepted more than once (see DuplicateIds). */
  duplicateIds({ offset = 0, limit = MAX_DUPLICATE_IDS } = {}): DuplicateIds {
    const start = Math.max(0, Math.floor(offset) || 0);
    const end = start + Math.max(0, Math.floor(limit) || 0);

    return {
      total: this.duplicates,
      retained: this.duplicateIdList.length,
      offset: start,
      ids: this.duplicateIdList.slice(start, end),
    };
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
