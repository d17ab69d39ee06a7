// Push certificates for tests and the demo mode, shaped like Apple's (docs/apns.md §4): subject
// UID=<bundle>, OU=<team>, CN=Apple Push Services: <bundle>; extensions 6.3.1/6.3.2 (environments),
// 6.3.6 (topics) and optionally 6.3.4 (VoIP); exported as a passphrase-protected .p12.

import forge from "node-forge";

import { OID_PRODUCTION, OID_SANDBOX, OID_TOPICS, OID_VOIP } from "../certificate-identity";
import { createCa, issueCertificate } from "./tls-material";

export type TestCa = {
  cert: forge.pki.Certificate;
  key: forge.pki.PrivateKey;
  certPem: string;
  keyPem: string;
};

export type PushCertificateOptions = {
  ca: TestCa;
  bundleId: string;
  teamId: string;
  /** Which 6.3.x environment flags to set; "both" = a universal certificate. Default "both". */
  environment?: "sandbox" | "production" | "both" | "none";
  /** Topics for 6.3.6. Default: bundle (app), bundle.voip, bundle.complication. Empty array = omit 6.3.6. */
  topics?: { topic: string; kinds: string[] }[];
  voip?: boolean;
  commonName?: string;
  notBefore?: Date;
  notAfter?: Date;
  passphrase?: string;
};

export type PushCertificate = {
  certPem: string;
  keyPem: string;
  /** DER bytes of the PKCS#12 (cert, key and the CA chain). */
  p12: Buffer;
  passphrase: string;
  notAfter: Date;
};

/** A CA standing in for Apple's "Worldwide Developer Relations" issuer; trust its certPem as a client CA. */
export function createTestClientCa(commonName = "Pushdeck Test Push CA"): TestCa {
  return createCa(commonName);
}

const NULL_VALUE = forge.asn1
  .toDer(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, ""))
  .getBytes();

/** DER of the 6.3.6 value: SEQUENCE { UTF8String topic, SEQUENCE { UTF8String kind… }, … }. */
export function encodeTopicsExtension(topics: { topic: string; kinds: string[] }[]): string {
  const { asn1 } = forge;
  const utf8 = (s: string) =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(s));
  const items = topics.flatMap(({ topic, kinds }) => [
    utf8(topic),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, kinds.map(utf8)),
  ]);

  return asn1.toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items)).getBytes();
}

export function createTestPushCertificate(options: PushCertificateOptions): PushCertificate {
  const { bundleId, teamId, ca } = options;
  const environment = options.environment ?? "both";
  const topics = options.topics ?? [
    { topic: bundleId, kinds: ["app"] },
    { topic: `${bundleId}.voip`, kinds: ["voip"] },
    { topic: `${bundleId}.complication`, kinds: ["complication"] },
  ];
  const passphrase = options.passphrase ?? "pushdeck";

  const extensions: object[] = [
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, critical: true },
    { name: "extKeyUsage", clientAuth: true },
  ];
  if (environment === "sandbox" || environment === "both")
    extensions.push({ id: OID_SANDBOX, value: NULL_VALUE });
  if (environment === "production" || environment === "both")
    extensions.push({ id: OID_PRODUCTION, value: NULL_VALUE });
  if (options.voip) extensions.push({ id: OID_VOIP, value: NULL_VALUE });
  if (topics.length > 0) extensions.push({ id: OID_TOPICS, value: encodeTopicsExtension(topics) });

  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const cert = issueCertificate({
    publicKey: keys.publicKey,
    subject: [
      {
        type: "0.9.2342.19200300.100.1.1",
        value: bundleId,
        valueTagClass: forge.asn1.Type.UTF8,
      } as unknown as forge.pki.CertificateField,
      { name: "commonName", value: options.commonName ?? `Apple Push Services: ${bundleId}` },
      { name: "organizationalUnitName", value: teamId },
      { name: "countryName", value: "US" },
    ],
    issuer: ca,
    signingKey: ca.key,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    extensions,
  });

  const p12Asn1 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert, ca.cert], passphrase, {
    algorithm: "3des",
  });

  return {
    certPem: forge.pki.certificateToPem(cert),
    keyPem: forge.pki.privateKeyToPem(keys.privateKey),
    p12: Buffer.from(forge.asn1.toDer(p12Asn1).getBytes(), "binary"),
    passphrase,
    notAfter: cert.validity.notAfter,
  };
}
