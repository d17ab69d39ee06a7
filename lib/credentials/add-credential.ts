import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors";
import { inspectP12, inspectP8 } from "./inspect-key-material";

const APPLE_ID = /^[A-Z0-9]{10}$/;
const ENDPOINT = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;

const common = {
  appId: z.string().min(1),
  name: z.string().trim().min(1).max(120).optional(),
  scope: z.enum(["SANDBOX", "PRODUCTION", "BOTH"]),
  endpoint: z.string().trim().regex(ENDPOINT, "Use host:port, e.g. 127.0.0.1:2197").optional(),
  caPem: z
    .string()
    .trim()
    .includes("-----BEGIN CERTIFICATE-----", { message: "Must be a PEM certificate" })
    .max(64_000)
    .optional(),
};

export const addCredentialSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("TOKEN"),
    ...common,
    keyId: z.string().trim().regex(APPLE_ID, "Key ID is 10 letters or digits"),
    teamId: z.string().trim().regex(APPLE_ID, "Team ID is 10 letters or digits"),
    privateKeyPem: z.string().min(1).max(10_000),
  }),
  z.strictObject({
    kind: z.literal("CERTIFICATE"),
    ...common,
    p12Base64: z.string().min(1).max(200_000),
    passphrase: z.string().max(1024).default(""),
  }),
]);
export type AddCredentialInput = z.input<typeof addCredentialSchema>;

export type CredentialSummary = {
  id: string;
  appId: string;
  kind: "TOKEN" | "CERTIFICATE";
  name: string;
  scope: string;
  keyId: string | null;
  teamId: string | null;
  certSubject: string | null;
  notAfter: Date | null;
  endpoint: string | null;
};

/** Validates key material, encrypts it, stores the credential. Key material never comes back out. */
export async function addCredential(db: Db, raw: AddCredentialInput): Promise<CredentialSummary> {
  const input = addCredentialSchema.parse(raw);
  const app = await db.app.findUnique({ where: { id: input.appId } });
  if (!app) throw new AppError("NOT_FOUND", "No such app", { appId: ["Unknown app"] });
  const base = {
    appId: app.id,
    scope: input.scope,
    endpoint: input.endpoint ?? null,
    caPem: input.caPem ?? null,
  };
  let data;
  if (input.kind === "TOKEN") {
    const pem = inspectP8(input.privateKeyPem);
    data = {
      ...base,
      kind: "TOKEN" as const,
      name: input.name ?? `Key ${input.keyId}`,
      keyId: input.keyId,
      teamId: input.teamId,
      secretEnc: encryptSecret(pem),
    };
  } else {
    const p12 = Buffer.from(input.p12Base64, "base64");
    const info = inspectP12(p12, input.passphrase);
    if (info.bundleId && info.bundleId !== app.bundleId && !info.topics.includes(app.bundleId)) {
      throw new AppError(
        "VALIDATION",
        `The certificate is for ${info.bundleId}, not ${app.bundleId}`,
        { p12: ["Topic does not match the app"] },
      );
    }
    data = {
      ...base,
      kind: "CERTIFICATE" as const,
      name: input.name ?? `Certificate ${info.bundleId ?? app.bundleId}`,
      teamId: info.teamId,
      secretEnc: encryptSecret(p12),
      passphraseEnc: encryptSecret(input.passphrase),
      certSubject: info.subject,
      certTopics: JSON.stringify(info.topics),
      notBefore: info.notBefore,
      notAfter: info.notAfter,
    };
  }
  const row = await db.credential.create({ data });

  return toSummary(row);
}

/** The safe shape of a credential row: everything but the key material. */
export function toSummary(row: CredentialSummary): CredentialSummary {
  const { id, appId, kind, name, scope, keyId, teamId, certSubject, notAfter, endpoint } = row;

  return { id, appId, kind, name, scope, keyId, teamId, certSubject, notAfter, endpoint };
}
