import { z } from "zod";
import { authorize, type Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { auditActor, recordAudit } from "@/lib/audit/record";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { getDb } from "@/lib/db/client";
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

type Options = { db?: DbTx; ip?: string | null };
const MANAGE = { permission: "credentials.manage" } as const;
type App = { id: string; bundleId: string };

/**
 * Checks and encrypts the key material, and returns what makes the row once the app is known.
 * This is CPU work on the input alone (parsing a PKCS#12 file derives keys), so it runs before the
 * transaction rather than while holding the database's write lock.
 */
function sealKeyMaterial(input: z.output<typeof addCredentialSchema>) {
  const base = (app: App) => ({
    appId: app.id,
    scope: input.scope,
    endpoint: input.endpoint ?? null,
    caPem: input.caPem ?? null,
  });
  if (input.kind === "TOKEN") {
    const secretEnc = encryptSecret(inspectP8(input.privateKeyPem));

    return (app: App) => ({
      ...base(app),
      kind: "TOKEN" as const,
      name: input.name ?? `Key ${input.keyId}`,
      keyId: input.keyId,
      teamId: input.teamId,
      secretEnc,
    });
  }
  const p12 = Buffer.from(input.p12Base64, "base64");
  const info = inspectP12(p12, input.passphrase);
  const secretEnc = encryptSecret(p12);
  const passphraseEnc = encryptSecret(input.passphrase);

  return (app: App) => {
    if (info.bundleId && info.bundleId !== app.bundleId && !info.topics.includes(app.bundleId)) {
      throw new AppError(
        "VALIDATION",
        `The certificate is for ${info.bundleId}, not ${app.bundleId}`,
        {
          p12: ["Topic does not match the app"],
        },
      );
    }

    return {
      ...base(app),
      kind: "CERTIFICATE" as const,
      name: input.name ?? `Certificate ${info.bundleId ?? app.bundleId}`,
      teamId: info.teamId,
      secretEnc,
      passphraseEnc,
      certSubject: info.subject,
      certTopics: JSON.stringify(info.topics),
      notBefore: info.notBefore,
      notAfter: info.notAfter,
    };
  };
}

/**
 * Validates key material, encrypts it, and stores the credential and its audit row in one
 * transaction, the caller's if it passes one (credentials.manage; the CLI and demo mode act as
 * SYSTEM: docs/data-access.md). Key material never comes back out, nor goes into the audit row.
 */
export async function addCredential(
  actor: Actor,
  raw: AddCredentialInput,
  options: Options = {},
): Promise<CredentialSummary> {
  authorize(actor, MANAGE);
  const input = addCredentialSchema.parse(raw);
  const rowFor = sealKeyMaterial(input);

  return (options.db ?? getDb()).$transaction(async (tx) => {
    const app = await tx.app.findUnique({ where: { id: input.appId } });
    if (!app) throw new AppError("NOT_FOUND", "No such app", { appId: ["Unknown app"] });
    const row = await tx.credential.create({ data: rowFor(app) });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "credential.add",
      targetType: "credential",
      targetId: row.id,
      success: true,
      detail: { app: app.bundleId, kind: row.kind, scope: row.scope },
      ip: options.ip,
    });

    return toSummary(row);
  });
}

/** The safe shape of a credential row: everything but the key material. */
export function toSummary(row: CredentialSummary): CredentialSummary {
  const { id, appId, kind, name, scope, keyId, teamId, certSubject, notAfter, endpoint } = row;

  return { id, appId, kind, name, scope, keyId, teamId, certSubject, notAfter, endpoint };
}
