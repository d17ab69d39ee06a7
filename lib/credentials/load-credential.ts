import type { ApnsCredential, ApnsEnvironment } from "@/lib/apns";
import type { Db } from "@/lib/db/client";
import { decryptSecret, decryptSecretBytes } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors";

type CredentialRow = NonNullable<Awaited<ReturnType<Db["credential"]["findUnique"]>>>;

/** Decrypts a stored credential into what the sender needs. Server-only; never serialise the result. */
export function toApnsCredential(row: CredentialRow): ApnsCredential {
  const common = { endpoint: row.endpoint ?? undefined, caPem: row.caPem ?? undefined };
  if (row.kind === "TOKEN") {
    return {
      kind: "token",
      keyId: row.keyId!,
      teamId: row.teamId!,
      privateKeyPem: decryptSecret(row.secretEnc),
      ...common,
    };
  }

  return {
    kind: "certificate",
    p12: decryptSecretBytes(row.secretEnc),
    passphrase: row.passphraseEnc ? decryptSecret(row.passphraseEnc) : "",
    ...common,
  };
}

export function toApnsEnvironment(environment: "SANDBOX" | "PRODUCTION"): ApnsEnvironment {
  return environment === "SANDBOX" ? "sandbox" : "production";
}

/**
 * The credential an app sends with in an environment: the newest active one whose scope covers it.
 * Rotation: add the new credential and it takes over; the old one stays until removed.
 */
export async function findSendingCredential(
  db: Db,
  appId: string,
  environment: "SANDBOX" | "PRODUCTION",
): Promise<CredentialRow> {
  const row = await db.credential.findFirst({
    where: { appId, active: true, scope: { in: [environment, "BOTH"] } },
    orderBy: { createdAt: "desc" },
  });
  if (!row) {
    throw new AppError(
      "APNS_UNAVAILABLE",
      `This app has no active APNs credential for ${environment.toLowerCase()}; add one in Admin → Apps & credentials`,
    );
  }

  return row;
}
