// Provider authentication tokens: ES256 JWTs signed with the team's .p8 key
// ("Establishing a token-based connection to APNs", docs/apns.md §3).
//
// Apple's rules, and how we keep them:
// - header {alg: ES256, kid}, claims {iss: team id, iat}; nothing else.
// - a token older than one hour is refused (403 ExpiredProviderToken): we renew at 50 minutes.
// - renewing more often than every 20 minutes is refused (429 TooManyProviderTokenUpdates):
//   every request shares one token per key, concurrent callers share one signing promise,
//   and renewAfter can never be configured below 20 minutes.
// - the one exception: after ExpiredProviderToken the current token is dead, so we mint once,
//   but only if the failing request used the current token (a generation check, as in
//   node-apn's prepare.js), so a burst of failures causes exactly one renewal.

import { SignJWT, importPKCS8 } from "jose";

import {
  MemoryProviderTokenStore,
  type ProviderTokenStore,
  type StoredProviderToken,
} from "./provider-token-store";

const MINUTE = 60_000;
export const TOKEN_MIN_RENEW_MS = 20 * MINUTE;
export const TOKEN_MAX_AGE_MS = 60 * MINUTE;
export const TOKEN_DEFAULT_RENEW_MS = 50 * MINUTE;

export type ProviderToken = StoredProviderToken & {
  /** Increases each time this source adopts a different token. */
  generation: number;
};

export type ProviderTokenOptions = {
  /** The 10-character Key ID of the .p8 key. */
  keyId: string;
  /** The 10-character Team ID. */
  teamId: string;
  /** The .p8 file's contents (PKCS#8 PEM, P-256). */
  privateKeyPem: string;
  /** Milliseconds since epoch; injectable for tests. */
  now?: () => number;
  store?: ProviderTokenStore;
  /** Age at which the token is renewed; clamped to 20–55 minutes. */
  renewAfterMs?: number;
};

export class ProviderTokenSource {
  readonly keyId: string;
  readonly #teamId: string;
  readonly #pem: string;
  readonly #now: () => number;
  readonly #store: ProviderTokenStore;
  readonly #renewAfterMs: number;
  #key: Promise<CryptoKey> | null = null;
  #current: ProviderToken | null = null;
  #inflight: Promise<ProviderToken> | null = null;
  #generation = 0;
  /** How many tokens this source has signed (observability and tests). */
  mints = 0;

  constructor(options: ProviderTokenOptions) {
    this.keyId = options.keyId;
    this.#teamId = options.teamId;
    this.#pem = options.privateKeyPem;
    this.#now = options.now ?? Date.now;
    this.#store = options.store ?? new MemoryProviderTokenStore();
    const renew = options.renewAfterMs ?? TOKEN_DEFAULT_RENEW_MS;
    this.#renewAfterMs = Math.min(
      Math.max(renew, TOKEN_MIN_RENEW_MS),
      TOKEN_MAX_AGE_MS - 5 * MINUTE,
    );
  }

  /** The current token if it needs no renewal: synchronous, for the hot path. */
  peek(): ProviderToken | null {
    const current = this.#current;

    return current && this.#isFresh(current) ? current : null;
  }

  /** The shared token, renewed when due; concurrent callers share one renewal. */
  async get(): Promise<ProviderToken> {
    const fresh = this.peek();
    if (fresh) return fresh;

    return this.#renew(null);
  }

  /**
   * APNs answered ExpiredProviderToken to a request that carried `used`. Mint one new token
   * unless `used` has already been replaced; either way return the token to resend with.
   */
  async renewExpired(used: ProviderToken): Promise<ProviderToken> {
    for (let round = 0; round < 2; round++) {
      const current = this.#current;
      if (current && current.generation !== used.generation) return this.#inflight ?? current;
      const next = await this.#renew(used.token);
      if (next.token !== used.token) return next;
      // The renewal in flight was an ordinary one that adopted the dead token: force one now.
    }

    return this.#renew(used.token);
  }

  #isFresh(token: StoredProviderToken): boolean {
    return this.#now() - token.issuedAtMs < this.#renewAfterMs;
  }

  #renew(deadToken: string | null): Promise<ProviderToken> {
    this.#inflight ??= this.#fetchOrMint(deadToken).finally(() => {
      this.#inflight = null;
    });

    return this.#inflight;
  }

  async #fetchOrMint(deadToken: string | null): Promise<ProviderToken> {
    // Another process may already have renewed it: prefer the shared token.
    let stored: StoredProviderToken | null;
    try {
      stored = await this.#store.get(this.keyId);
    } catch {
      return this.#withoutStore(deadToken);
    }
    if (stored && stored.token !== deadToken && this.#isFresh(stored)) return this.#adopt(stored);

    const minted = await this.#sign();
    try {
      return this.#adopt(
        await this.#store.compareAndSet(this.keyId, stored?.token ?? null, minted),
      );
    } catch {
      // The store failed after we signed: ours is as valid as any, use it.
      return this.#adopt(minted);
    }
  }

  /**
   * The shared store is unreachable. That is no reason to stop sending: the current token stays
   * valid for up to an hour, so keep using it while it is; only a token that is dead or past
   * its maximum age is replaced by one signed here (which the store will see replaced in turn).
   * Only a key that cannot sign fails a send (CredentialError).
   */
  async #withoutStore(deadToken: string | null): Promise<ProviderToken> {
    const current = this.#current;
    if (
      current &&
      current.token !== deadToken &&
      this.#now() - current.issuedAtMs < TOKEN_MAX_AGE_MS - 5 * MINUTE
    ) {
      return current;
    }

    return this.#adopt(await this.#sign());
  }

  async #sign(): Promise<StoredProviderToken> {
    this.#key ??= importPKCS8(this.#pem, "ES256");
    const issuedAtMs = this.#now();
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: this.keyId })
      .setIssuer(this.#teamId)
      .setIssuedAt(Math.floor(issuedAtMs / 1000))
      .sign(await this.#key);
    this.mints++;

    return { token, issuedAtMs };
  }

  #adopt(stored: StoredProviderToken): ProviderToken {
    if (this.#current?.token !== stored.token) {
      this.#current = {
        token: stored.token,
        issuedAtMs: stored.issuedAtMs,
        generation: ++this.#generation,
      };
    }

    return this.#current;
  }
}
