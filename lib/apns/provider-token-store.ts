// Where the shared provider token lives. Apple wants ONE token per key reused by every
// connection and renewed no more than once every 20 minutes (else 429
// TooManyProviderTokenUpdates); with several workers the token must be shared between
// processes, so the app can plug in a database-backed store with the same two calls.

export type StoredProviderToken = { token: string; issuedAtMs: number };

export type ProviderTokenStore = {
  /** The token currently shared for this key, or null if none was ever stored. */
  get(keyId: string): Promise<StoredProviderToken | null>;
  /**
   * Atomically store `next` if the stored token is still `expected` (null: nothing stored yet),
   * and return whichever token is stored afterwards: `next` if we won, the other writer's if not.
   *
   * A SQL store implements it with one conditional write, then a read:
   *   UPDATE provider_token SET token = $next, issued_at = $at WHERE key_id = $key AND token = $expected
   *   -- or, when expected is null: INSERT … ON CONFLICT (key_id) DO NOTHING
   *   SELECT token, issued_at FROM provider_token WHERE key_id = $key
   */
  compareAndSet(
    keyId: string,
    expected: string | null,
    next: StoredProviderToken,
  ): Promise<StoredProviderToken>;
};

/** The default store: one process, one map. */
export class MemoryProviderTokenStore implements ProviderTokenStore {
  readonly #tokens = new Map<string, StoredProviderToken>();

  async get(keyId: string): Promise<StoredProviderToken | null> {
    return this.#tokens.get(keyId) ?? null;
  }

  async compareAndSet(
    keyId: string,
    expected: string | null,
    next: StoredProviderToken,
  ): Promise<StoredProviderToken> {
    const current = this.#tokens.get(keyId) ?? null;
    if ((current?.token ?? null) !== expected) return current as StoredProviderToken;
    this.#tokens.set(keyId, next);

    return next;
  }
}
