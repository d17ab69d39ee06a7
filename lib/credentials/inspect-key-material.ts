import { X509Certificate, createPrivateKey } from "node:crypto";
import { readCertIdentity, readP12 } from "@/lib/apns";
import { AppError } from "@/lib/errors";

/** A .p8 must be a PKCS#8 P-256 private key (docs/apns.md §3); returns it as normalised PEM. */
export function inspectP8(pem: string): string {
  const text = pem.trim();
  if (!text.includes("-----BEGIN PRIVATE KEY-----")) {
    throw new AppError(
      "VALIDATION",
      'The .p8 file must be a PEM "PRIVATE KEY" (PKCS#8), as downloaded from Apple',
      { privateKey: ["Not a PKCS#8 PEM private key"] },
    );
  }
  try {
    const key = createPrivateKey({ key: text, format: "pem" });
    if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
      throw new AppError(
        "VALIDATION",
        "APNs keys are P-256 (ES256) elliptic-curve keys; this key is not",
        { privateKey: ["Not a P-256 key"] },
      );
    }

    return key.export({ format: "pem", type: "pkcs8" }).toString();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("VALIDATION", "The .p8 key could not be read", {
      privateKey: ["Unreadable key"],
    });
  }
}

export type CertificateInfo = {
  subject: string;
  bundleId: string | null;
  teamId: string | null;
  environments: ("sandbox" | "production")[];
  topics: string[];
  notBefore: Date;
  notAfter: Date;
};

/** Opens a .p12 with its passphrase and reads what APNs reads from the push certificate (docs/apns.md §4). */
export function inspectP12(p12: Uint8Array, passphrase: string, now = new Date()): CertificateInfo {
  let material: ReturnType<typeof readP12>;
  try {
    material = readP12(p12, passphrase);
  } catch (error) {
    const wrong = /passphrase/i.test((error as Error).message);
    throw new AppError(
      "VALIDATION",
      wrong ? "The .p12 passphrase is wrong" : "The file is not a readable .p12",
      {
        [wrong ? "passphrase" : "p12"]: [wrong ? "Wrong passphrase" : "Unreadable .p12"],
      },
    );
  }
  if (!material.cert) {
    // readP12 hands files forge cannot parse to OpenSSL as-is; for inspection they are unreadable.
    throw new AppError(
      "VALIDATION",
      material.pfx ? "The file is not a readable .p12" : "The .p12 holds no certificate",
      { p12: ["Unreadable .p12"] },
    );
  }
  const certificate = new X509Certificate(material.cert);
  const identity = readCertIdentity(certificate.raw);
  const notAfter = new Date(certificate.validTo);
  if (notAfter <= now) {
    throw new AppError(
      "VALIDATION",
      `The certificate expired on ${notAfter.toISOString().slice(0, 10)}`,
      { p12: ["Expired certificate"] },
    );
  }
  if (!identity.uid && identity.topics.length === 0) {
    throw new AppError(
      "VALIDATION",
      "This is not an Apple push certificate (no UID and no APNs topics)",
      { p12: ["Not a push certificate"] },
    );
  }

  return {
    subject: certificate.subject.replace(/\n/g, ", "),
    bundleId: identity.uid,
    teamId: identity.teamId,
    environments: identity.environments,
    topics: identity.topics,
    notBefore: new Date(certificate.validFrom),
    notAfter,
  };
}
