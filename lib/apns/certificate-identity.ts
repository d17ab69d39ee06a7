// Reads what APNs reads from a push certificate (docs/apns.md §4): subject UID (bundle id), OU (team),
// the environment flags 1.2.840.113635.100.6.3.1 / .2, VoIP 6.3.4, and the 6.3.6 topics list.
// Walks the DER with forge's ASN.1 reader rather than forge.pki.certificateFromAsn1, which throws
// on non-RSA keys; the simulator should judge any certificate the TLS layer accepted.
// Used by the simulator (the client certificate of a connection) and by the app (what an uploaded
// .p12 covers), so it lives in the library rather than in the simulator.

import forge from "node-forge";

import type { ApnsEnvironment } from "./credentials";

export const OID_SANDBOX = "1.2.840.113635.100.6.3.1";
export const OID_PRODUCTION = "1.2.840.113635.100.6.3.2";
export const OID_VOIP = "1.2.840.113635.100.6.3.4";
export const OID_TOPICS = "1.2.840.113635.100.6.3.6";
const OID_UID = "0.9.2342.19200300.100.1.1";
const OID_OU = "2.5.4.11";
const OID_CN = "2.5.4.3";

export type CertIdentity = {
  uid: string | null;
  teamId: string | null;
  commonName: string | null;
  environments: ApnsEnvironment[];
  topics: string[];
};

type Asn1 = forge.asn1.Asn1;

function children(node: Asn1): Asn1[] {
  return Array.isArray(node.value) ? (node.value as Asn1[]) : [];
}

function text(node: Asn1): string {
  const bytes = typeof node.value === "string" ? node.value : "";

  return node.type === forge.asn1.Type.UTF8 ? forge.util.decodeUtf8(bytes) : bytes;
}

function subjectAttributes(name: Asn1): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const rdn of children(name)) {
    for (const pair of children(rdn)) {
      const [oid, value] = children(pair);
      if (oid && value) attributes.set(forge.asn1.derToOid(oid.value as string), text(value));
    }
  }

  return attributes;
}

/** 6.3.6: SEQUENCE of (UTF8String topic, SEQUENCE of kinds) — flat pairs; nested pairs tolerated. */
export function parseTopicsExtension(der: string): string[] {
  const topics: string[] = [];
  const visit = (node: Asn1) => {
    for (const child of children(node)) {
      if (child.type === forge.asn1.Type.SEQUENCE) {
        const [first, second] = children(child);
        if (
          first &&
          first.type !== forge.asn1.Type.SEQUENCE &&
          second?.type === forge.asn1.Type.SEQUENCE
        ) {
          visit(child); // a nested (topic, kinds) pair
        }
        continue; // otherwise the kinds list of the previous topic
      }
      topics.push(text(child));
    }
  };
  visit(forge.asn1.fromDer(der));

  return topics;
}

export function readCertIdentity(der: Buffer): CertIdentity {
  const certificate = forge.asn1.fromDer(der.toString("binary"));
  const tbs = children(certificate)[0];
  const fields = children(tbs);
  // An explicit [0] version tag shifts the fixed fields by one.
  const offset = fields[0]?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const subject = subjectAttributes(fields[offset + 4]);

  const extensions = new Map<string, string>();
  const extensionsTag = fields.find(
    (f) => f.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && f.type === 3,
  );
  for (const extension of extensionsTag ? children(children(extensionsTag)[0]) : []) {
    const parts = children(extension);
    const oid = forge.asn1.derToOid(parts[0].value as string);
    extensions.set(oid, parts[parts.length - 1].value as string);
  }

  const uid = subject.get(OID_UID) ?? null;
  const commonName = subject.get(OID_CN) ?? null;
  const environments: ApnsEnvironment[] = [];
  if (extensions.has(OID_SANDBOX)) environments.push("sandbox");
  if (extensions.has(OID_PRODUCTION)) environments.push("production");
  // Older single-environment certificates say it only in the common name (docs/apns.md §4).
  if (environments.length === 0 && commonName?.startsWith("Apple Development IOS Push Services"))
    environments.push("sandbox");
  if (environments.length === 0 && commonName?.startsWith("Apple Production IOS Push Services"))
    environments.push("production");

  const topicsDer = extensions.get(OID_TOPICS);
  let topics = topicsDer ? parseTopicsExtension(topicsDer) : [];
  if (topics.length === 0 && uid) topics = extensions.has(OID_VOIP) ? [uid, `${uid}.voip`] : [uid];

  return { uid, teamId: subject.get(OID_OU) ?? null, commonName, environments, topics };
}
