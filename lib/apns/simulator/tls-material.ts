// Server TLS material: a throwaway CA and a localhost server certificate it signs, generated at
// start with node-forge (whose RSA keygen delegates to Node's native crypto, ~0.3 s), or loaded.
// Clients trust `caPem`, exactly as a provider trusts Apple's USERTrust root.

import { readFileSync } from "node:fs";
import forge from "node-forge";

import type { TlsMaterial } from "./types";

export type ServerTls = { certPem: string; keyPem: string; caPem: string };

const DAY_MS = 86_400_000;

function serial(): string {
  // Positive 16-byte serial: a leading 0x01..0x7f byte keeps the DER INTEGER non-negative.
  return "01" + forge.util.bytesToHex(forge.random.getBytesSync(15));
}

/** Signs `publicKey` with the issuer's key. Shared with test-certificates.ts. */
export function issueCertificate(options: {
  publicKey: forge.pki.PublicKey;
  subject: forge.pki.CertificateField[];
  issuer: { cert: forge.pki.Certificate; key: forge.pki.PrivateKey } | null;
  signingKey: forge.pki.PrivateKey;
  extensions: object[];
  notBefore?: Date;
  notAfter?: Date;
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * DAY_MS);
  cert.setSubject(options.subject);
  cert.setIssuer(options.issuer ? options.issuer.cert.subject.attributes : options.subject);
  cert.setExtensions(options.extensions);
  cert.sign(options.signingKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());

  return cert;
}

export function createCa(commonName: string, notAfter?: Date) {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const subject = [
    { name: "commonName", value: commonName },
    { name: "organizationName", value: "Pushdeck" },
  ];
  const cert = issueCertificate({
    publicKey: keys.publicKey,
    subject,
    issuer: null,
    signingKey: keys.privateKey,
    notAfter: notAfter ?? new Date(Date.now() + 10 * 365 * DAY_MS),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
      { name: "subjectKeyIdentifier" },
    ],
  });

  return {
    cert,
    key: keys.privateKey,
    certPem: forge.pki.certificateToPem(cert),
    keyPem: forge.pki.privateKeyToPem(keys.privateKey),
  };
}

export function generateServerTls(): ServerTls {
  const ca = createCa("Pushdeck APNs Simulator CA");
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const cert = issueCertificate({
    publicKey: keys.publicKey,
    subject: [{ name: "commonName", value: "localhost" }],
    issuer: ca,
    signingKey: ca.key,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });

  return {
    certPem: forge.pki.certificateToPem(cert),
    keyPem: forge.pki.privateKeyToPem(keys.privateKey),
    caPem: ca.certPem,
  };
}

export function loadServerTls(material: TlsMaterial): ServerTls {
  if ("certFile" in material) {
    const certPem = readFileSync(material.certFile, "utf8");
    const caPem = material.caFile ? readFileSync(material.caFile, "utf8") : certPem;

    return { certPem, keyPem: readFileSync(material.keyFile, "utf8"), caPem };
  }

  // Without a CA, a self-signed server certificate is its own trust anchor.
  return {
    certPem: material.certPem,
    keyPem: material.keyPem,
    caPem: material.caPem ?? material.certPem,
  };
}
