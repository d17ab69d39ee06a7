import { readFileSync } from "node:fs";
import type { ApnsCredential } from "@/lib/apns";

/** Flags shared by `send` and `bench`: how to authenticate and where to connect. */
export const CREDENTIAL_OPTIONS = {
  p8: { type: "string" },
  "key-id": { type: "string" },
  "team-id": { type: "string" },
  p12: { type: "string" },
  passphrase: { type: "string" },
  endpoint: { type: "string" },
  ca: { type: "string" },
} as const;

type CredentialFlags = Partial<Record<keyof typeof CREDENTIAL_OPTIONS, string>>;

export function credentialFromFlags(values: CredentialFlags): ApnsCredential {
  const common = {
    endpoint: values.endpoint,
    caPem: values.ca ? readFileSync(values.ca, "utf8") : undefined,
  };
  if (values.p8) {
    if (!values["key-id"] || !values["team-id"])
      throw new Error("--p8 needs --key-id and --team-id");

    return {
      kind: "token",
      keyId: values["key-id"],
      teamId: values["team-id"],
      privateKeyPem: readFileSync(values.p8, "utf8"),
      ...common,
    };
  }
  if (values.p12)
    return {
      kind: "certificate",
      p12: readFileSync(values.p12),
      passphrase: values.passphrase ?? "",
      ...common,
    };
  throw new Error(
    "give a credential: --p8 FILE --key-id K --team-id T, or --p12 FILE --passphrase P",
  );
}
