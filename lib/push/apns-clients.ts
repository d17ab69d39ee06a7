import { APNS_TRANSPORTS, ApnsClient, isApnsTransport, type ApnsTransport } from "@/lib/apns";
import type { Db } from "@/lib/db/client";
import { getSql } from "@/lib/db/sql";
import { toApnsCredential, toApnsEnvironment } from "@/lib/credentials/load-credential";
import { DbProviderTokenStore } from "./db-provider-token-store";

type CredentialRow = NonNullable<Awaited<ReturnType<Db["credential"]["findUnique"]>>>;

/**
 * One long-lived ApnsClient per (credential, environment) in this process: APNs wants connections
 * kept open for hours, and treats rapid connect/disconnect as denial of service (docs/apns.md §8).
 * A credential edited since its client was made gets a new client; the old one is closed.
 */
const globalForClients = globalThis as unknown as {
  pushdeckApnsClients?: Map<string, { version: number; client: ApnsClient }>;
};
const clients = (globalForClients.pushdeckApnsClients ??= new Map());

/**
 * PUSHDECK_APNS_TRANSPORT: the HTTP/2 implementation under the sender (lib/apns/transport.ts),
 * "native" (default) or "node" (node:http2). Anything else is a configuration error.
 */
export function apnsTransportFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ApnsTransport {
  const value = env.PUSHDECK_APNS_TRANSPORT?.trim() || "native";
  if (!isApnsTransport(value)) {
    throw new Error(
      `PUSHDECK_APNS_TRANSPORT must be one of ${APNS_TRANSPORTS.map((t) => `"${t}"`).join(", ")}; got "${value}"`,
    );
  }

  return value;
}

export function getApnsClient(
  row: CredentialRow,
  environment: "SANDBOX" | "PRODUCTION",
): ApnsClient {
  const key = `${row.id}:${environment}`;
  const version = row.updatedAt.getTime();
  const existing = clients.get(key);
  if (existing && existing.version === version) return existing.client;
  const transport = apnsTransportFromEnv();
  if (existing) void existing.client.close();
  const credential = toApnsCredential(row);
  const client = new ApnsClient({
    credential,
    environment: toApnsEnvironment(environment),
    transport,
    connections: 2,
    tokenStore:
      credential.kind === "token"
        ? new DbProviderTokenStore(getSql(), credential.teamId)
        : undefined,
  });
  clients.set(key, { version, client });

  return client;
}

export async function closeApnsClients(): Promise<void> {
  await Promise.all([...clients.values()].map(({ client }) => client.close()));
  clients.clear();
}
