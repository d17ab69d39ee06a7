// The public surface of the APNs sender, for server code. Framework-free: node builtins, jose,
// node-forge. The isomorphic part (payload builder, push types, header checks, reasons tables,
// outcome types) is browser.ts, re-exported here; a client component imports `@/lib/apns/browser`,
// since this index also pulls in node:tls. The simulator has its own entry, `@/lib/apns/simulator`.

export * from "./browser";

export {
  ProviderTokenSource,
  TOKEN_DEFAULT_RENEW_MS,
  TOKEN_MAX_AGE_MS,
  TOKEN_MIN_RENEW_MS,
} from "./provider-token";
export type { ProviderToken, ProviderTokenOptions } from "./provider-token";
export { MemoryProviderTokenStore } from "./provider-token-store";
export type { ProviderTokenStore, StoredProviderToken } from "./provider-token-store";

export {
  APNS_ALTERNATE_PORT,
  APNS_HOSTS,
  APNS_PORT,
  readP12,
  resolveEndpoint,
} from "./credentials";
export type {
  ApnsCredential,
  ApnsEnvironment,
  CertificateCredential,
  Endpoint,
  TokenCredential,
} from "./credentials";
export { readCertIdentity } from "./certificate-identity";
export type { CertIdentity } from "./certificate-identity";

export { DEFAULT_RETRY_OPTIONS, RETRY_POLICY, backoffDelay, decideRetry } from "./retry";
export type { RetryDecision, RetryOptions, RetryRule } from "./retry";

export { ApnsClient } from "./client";
export { APNS_TRANSPORTS, isApnsTransport } from "./transport";
export type { ApnsTransport } from "./transport";
export type { ApnsClientOptions } from "./client";
export type { SendManyOptions } from "./send-many";
export type { PoolStats } from "./pool";
