// Provider-token (ES256 JWT) checks of docs/apns.md §3 / §11 item 2. Signature verification is the
// expensive part, so its outcome is cached per distinct token string: a sender reuses one token
// for ~50 minutes, which makes every later request a Map lookup plus the cheap time rules.

import { createPublicKey, type KeyObject } from "node:crypto";
import { compactVerify, decodeProtectedHeader } from "jose";

import type { SimulatorReason } from "./reasons";
import type { KeyEnvironment, SimulatorKey, SimulatorMode } from "./types";

type RegisteredKey = {
  keyId: string;
  teamId: string;
  publicKey: KeyObject;
  environment: KeyEnvironment;
  topics?: Set<string>;
  /** What check() returns for this key: one object per key, not one per request. */
  verified: VerifiedToken;
};

/** The signature-level verdict of one token string; time rules are applied on every use. */
export type Verdict =
  { ok: true; kid: string; iss: string; iat: number } | { ok: false; reason: SimulatorReason };

export type VerifiedToken = Readonly<{ kid: string; teamId: string; topics?: Set<string> }>;

/**
 * Connection-level binding: "a connection serves one team", the first key bounds later kids.
 * `last*` memoize the connection's current authorization header (a sender repeats it for ~50 min)
 * so a request costs one string comparison, valid while the verifier's `epoch` is unchanged.
 */
export type TokenBinding = {
  teamId?: string;
  keyId?: string;
  lastAuthorization?: string;
  lastVerdict?: Verdict;
  lastEpoch?: number;
};

const MAX_CACHED_TOKENS = 10_000;
const decoder = new TextDecoder();

export class JwtVerifier {
  private keys = new Map<string, RegisteredKey>();
  private cache = new Map<string, Verdict>();
  /** Per key: the newest iat adopted, for TooManyProviderTokenUpdates across all connections. */
  private currentIat = new Map<string, number>();
  /** Bumped whenever cached verdicts may change (keys added or removed). */
  private epoch = 0;

  constructor(
    private readonly mode: SimulatorMode,
    private readonly now: () => number,
    readonly maxAgeMs: number,
    readonly refreshWindowMs: number,
  ) {}

  registerKey(key: SimulatorKey): void {
    const pem = key.publicKeyPem ?? key.privateKeyPem;
    if (!pem)
      throw new Error(`registerKey(${key.keyId}): publicKeyPem or privateKeyPem is required`);
    const topics = key.topics ? new Set(key.topics) : undefined;
    this.keys.set(key.keyId, {
      keyId: key.keyId,
      teamId: key.teamId,
      publicKey: createPublicKey(pem),
      environment: key.environment ?? "both",
      topics,
      verified: { kid: key.keyId, teamId: key.teamId, topics },
    });
    this.cache.clear(); // a verdict may change: an unknown kid can become known
    this.epoch++;
  }

  removeKey(keyId: string): void {
    this.keys.delete(keyId);
    this.currentIat.delete(keyId);
    this.cache.clear();
    this.epoch++;
  }

  private async verifySignature(token: string): Promise<Verdict> {
    const invalid: Verdict = { ok: false, reason: "InvalidProviderToken" };
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== "ES256" || typeof header.kid !== "string") return invalid;
      const key = this.keys.get(header.kid);
      if (!key) return invalid;

      const { payload } = await compactVerify(token, key.publicKey, { algorithms: ["ES256"] });
      const claims = JSON.parse(decoder.decode(payload)) as { iss?: unknown; iat?: unknown };
      if (claims.iss !== key.teamId || typeof claims.iat !== "number") return invalid;

      return { ok: true, kid: key.keyId, iss: key.teamId, iat: claims.iat };
    } catch {
      return invalid;
    }
  }

  /**
   * Checks `authorization` for one request on a connection. Returns the verified key or the reason.
   * Does not bind the connection; the caller binds once the request is authenticated.
   */
  async check(
    authorization: string | undefined,
    binding: TokenBinding,
  ): Promise<VerifiedToken | SimulatorReason> {
    const cached = this.checkCached(authorization, binding);
    if (cached !== null) return cached;
    const token = authorization!.slice(7).trim();
    const verdict = await this.verifySignature(token);
    if (this.cache.size >= MAX_CACHED_TOKENS) this.cache.clear(); // bounded memory, rare rebuild
    this.cache.set(token, verdict);

    return this.judge(verdict, binding);
  }

  /**
   * The same check, synchronously, when the token's signature verdict is already cached (every
   * request but a token's first); null when the signature still has to be verified.
   */
  checkCached(
    authorization: string | undefined,
    binding: TokenBinding,
  ): VerifiedToken | SimulatorReason | null {
    if (
      authorization !== undefined &&
      authorization === binding.lastAuthorization &&
      binding.lastEpoch === this.epoch
    ) {
      return this.judge(binding.lastVerdict!, binding);
    }
    if (
      !authorization ||
      authorization.length < 8 ||
      authorization.slice(0, 7).toLowerCase() !== "bearer "
    ) {
      return "MissingProviderToken";
    }
    const verdict = this.cache.get(authorization.slice(7).trim());
    if (!verdict) return null;
    binding.lastAuthorization = authorization;
    binding.lastVerdict = verdict;
    binding.lastEpoch = this.epoch;

    return this.judge(verdict, binding);
  }

  /** The rules applied on every use of a token: binding, environment, age, refresh rate. */
  private judge(verdict: Verdict, binding: TokenBinding): VerifiedToken | SimulatorReason {
    if (!verdict.ok) return verdict.reason;

    const key = this.keys.get(verdict.kid);
    if (!key) return "InvalidProviderToken"; // removed since the verdict was cached
    if (binding.teamId !== undefined && binding.teamId !== verdict.iss)
      return "InvalidProviderToken";
    if (key.environment !== "both" && key.environment !== this.mode)
      return "BadEnvironmentKeyIdInToken";
    if (binding.keyId !== undefined && binding.keyId !== key.keyId) {
      // Two team-scoped keys of one team are interchangeable; a topic-specific key is related only to itself.
      const first = this.keys.get(binding.keyId);
      if (!first || first.topics || key.topics) return "UnrelatedKeyIdInToken";
    }

    const ageMs = this.now() - verdict.iat * 1000;
    if (ageMs > this.maxAgeMs) return "ExpiredProviderToken";

    const current = this.currentIat.get(key.keyId);
    if (current === undefined || verdict.iat > current) {
      // Apple: refresh no more than once every 20 minutes. An older, still-valid token is tolerated
      // (another worker may not have switched yet); only a newer one minted too soon is refused.
      if (current !== undefined && (verdict.iat - current) * 1000 < this.refreshWindowMs)
        return "TooManyProviderTokenUpdates";
      this.currentIat.set(key.keyId, verdict.iat);
    }

    return key.verified;
  }
}
