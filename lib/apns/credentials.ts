// How a sender authenticates and where it connects (docs/apns.md §1, §3, §4).
// Token auth: a .p8 key signs a JWT sent in `authorization`. Certificate auth: the .p12
// is the TLS client certificate and no `authorization` header is sent.
// A credential may override the endpoint and add a CA to trust, for the simulator or a proxy.

import { isIP } from "node:net";
import { rootCertificates } from "node:tls";

import forge from "node-forge";

export type ApnsEnvironment = "production" | "sandbox";

/** Apple's hosts; port 443, or 2197 where 443 is blocked. */
export const APNS_HOSTS: Record<ApnsEnvironment, string> = {
  production: "api.push.apple.com",
  sandbox: "api.sandbox.push.apple.com",
};
export const APNS_PORT = 443;
export const APNS_ALTERNATE_PORT = 2197;

export type Endpoint = { host: string; port?: number };

type CredentialCommon = {
  /** Connect here instead of Apple ("host:port" or an object). */
  endpoint?: Endpoint | string;
  /** An extra CA to trust, e.g. the simulator's. Apple's roots stay trusted. */
  caPem?: string;
};

export type TokenCredential = CredentialCommon & {
  kind: "token";
  keyId: string;
  teamId: string;
  /** The .p8 file's contents. */
  privateKeyPem: string;
};

export type CertificateCredential = CredentialCommon & { kind: "certificate" } & (
    { p12: Uint8Array; passphrase?: string } | { certPem: string; keyPem: string }
  );

export type ApnsCredential = TokenCredential | CertificateCredential;

export type ResolvedEndpoint = {
  host: string;
  port: number;
  /** The :authority header: host, with the port unless it is HTTPS's 443. */
  authority: string;
  servername?: string;
};

export function resolveEndpoint(
  credential: ApnsCredential,
  environment: ApnsEnvironment,
): ResolvedEndpoint {
  const override =
    typeof credential.endpoint === "string"
      ? parseEndpoint(credential.endpoint)
      : credential.endpoint;
  const host = override?.host ?? APNS_HOSTS[environment];
  const port = override?.port ?? APNS_PORT;
  const authorityHost = isIP(host) === 6 ? `[${host}]` : host;

  // SNI takes host names only.
  return {
    host,
    port,
    authority: port === 443 ? authorityHost : `${authorityHost}:${port}`,
    servername: isIP(host) ? undefined : host,
  };
}

function parseEndpoint(text: string): Endpoint {
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(
    text.replace(/^https:\/\//, "").replace(/\/$/, ""),
  );
  if (!match) throw new Error(`Not an endpoint: "${text}"`);

  return { host: match[1], port: match[2] ? Number(match[2]) : undefined };
}

export type ClientTlsMaterial = {
  cert?: string;
  key?: string;
  pfx?: Uint8Array;
  passphrase?: string;
  ca?: string[];
};

/** The TLS options a credential contributes: the client certificate, and the CAs to trust. */
export function tlsMaterialFor(credential: ApnsCredential): ClientTlsMaterial {
  const ca = credential.caPem ? [...rootCertificates, credential.caPem] : undefined;
  if (credential.kind === "token") return { ca };
  if ("certPem" in credential) return { cert: credential.certPem, key: credential.keyPem, ca };

  return { ...readP12(credential.p12, credential.passphrase ?? ""), ca };
}

/**
 * Read a .p12 with node-forge. Keychain exports often use RC2-40/3DES, which Node's
 * OpenSSL 3 refuses without its legacy provider; forge reads them. If forge cannot read a
 * file for another reason, hand it to Node's TLS as `pfx` and let OpenSSL try.
 */
export function readP12(p12: Uint8Array, passphrase: string): ClientTlsMaterial {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    const der = forge.util.createBuffer(Buffer.from(p12).toString("binary"));
    parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), passphrase);
  } catch (error) {
    if (/password|MAC/i.test(String((error as Error).message))) {
      throw new Error("The .p12 passphrase is wrong", { cause: error });
    }

    return { pfx: p12, passphrase };
  }
  const { oids } = forge.pki;
  const keyBag =
    parsed.getBags({ bagType: oids.pkcs8ShroudedKeyBag })[oids.pkcs8ShroudedKeyBag]?.[0] ??
    parsed.getBags({ bagType: oids.keyBag })[oids.keyBag]?.[0];
  const certBags = parsed.getBags({ bagType: oids.certBag })[oids.certBag] ?? [];
  if (!keyBag?.key || certBags.length === 0)
    throw new Error("The .p12 has no private key or no certificate");

  // The leaf is the certificate whose public key matches the private key; the rest is the chain.
  const key = keyBag.key as forge.pki.rsa.PrivateKey;
  const isLeaf = (bag: forge.pkcs12.Bag) =>
    (bag.cert?.publicKey as forge.pki.rsa.PublicKey | undefined)?.n?.equals(key.n) ?? false;
  const leaf = certBags.find(isLeaf) ?? certBags[0];
  const chain = certBags
    .filter((bag) => bag !== leaf && bag.cert)
    .map((bag) => forge.pki.certificateToPem(bag.cert!));

  return {
    key: forge.pki.privateKeyToPem(key),
    cert: [forge.pki.certificateToPem(leaf.cert!), ...chain].join(""),
  };
}
