import { z } from "zod";
import { authorize, type Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { auditActor, recordAudit } from "@/lib/audit/record";
import { API_SCOPES } from "@/lib/auth/permissions";
import { getDb, type Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { forgetApiKeys, generateApiKey, parseScopes } from "./api-keys";

/**
 * Admin → API keys, and `pushdeck apikey …`: create (the key is returned once, only its hash is
 * kept), list and revoke. Staff need api-keys.manage (no API key may manage keys); the CLI acts as
 * SYSTEM. Each change and its audit row are one transaction, the caller's when it passes one.
 */
const MANAGE = { permission: "api-keys.manage" } as const;

export const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1, "Enter a name").max(100),
  scopes: z
    .array(z.enum(API_SCOPES, { error: `Scopes are: ${API_SCOPES.join(", ")}` }))
    .min(1, "Choose at least one scope")
    .max(API_SCOPES.length),
  /** Bundle id of the one app the key may reach; omit for every app. */
  app: z.string().trim().min(1).max(155).optional(),
});
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;

export const listApiKeysSchema = z.strictObject({ includeRevoked: z.boolean().optional() });
export type ListApiKeysInput = z.input<typeof listApiKeysSchema>;

export const revokeApiKeySchema = z.strictObject({
  /** The key's id, or its prefix `pd_XXXXXXXX` (what the CLI and the UI show). */
  id: z.string().min(1).max(64),
});
export type RevokeApiKeyInput = z.input<typeof revokeApiKeySchema>;

export type ApiKeySummary = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  app: { id: string; bundleId: string; name: string } | null;
  createdBy: { id: string; email: string } | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

type Options = { db?: DbTx; ip?: string | null };

const include = {
  app: { select: { id: true, bundleId: true, name: true } },
  createdBy: { select: { id: true, email: true } },
} as const;

type Row = Awaited<ReturnType<Db["apiKey"]["findFirstOrThrow"]>> & {
  app: ApiKeySummary["app"];
  createdBy: ApiKeySummary["createdBy"];
};

function toSummary(row: Row): ApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: parseScopes(row.scopes),
    app: row.app,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

export async function createApiKey(
  actor: Actor,
  raw: CreateApiKeyInput,
  options: Options = {},
): Promise<{ key: string; apiKey: ApiKeySummary }> {
  authorize(actor, MANAGE);
  const input = createApiKeySchema.parse(raw);

  return (options.db ?? getDb()).$transaction(async (tx) => {
    let appId: string | null = null;
    if (input.app) {
      const app = await tx.app.findUnique({ where: { bundleId: input.app } });
      if (!app)
        throw new AppError("VALIDATION", `No app with bundle id ${input.app}`, {
          app: ["Unknown app"],
        });
      appId = app.id;
    }
    const { key, prefix, hash } = generateApiKey();
    const row = await tx.apiKey.create({
      data: {
        name: input.name,
        prefix,
        hash,
        scopes: [...new Set(input.scopes)].join(","),
        appId,
        createdById: actor.kind === "user" ? actor.id : null,
      },
      include,
    });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "api-key.create",
      targetType: "api-key",
      targetId: row.id,
      success: true,
      detail: { name: row.name, prefix, scopes: input.scopes, app: input.app ?? null },
      ip: options.ip,
    });

    return { key, apiKey: toSummary(row as Row) };
  });
}

export async function listApiKeys(
  actor: Actor,
  raw: ListApiKeysInput = {},
  options: Options = {},
): Promise<ApiKeySummary[]> {
  authorize(actor, MANAGE);
  const input = listApiKeysSchema.parse(raw);
  const rows = await (options.db ?? getDb()).apiKey.findMany({
    where: input.includeRevoked === false ? { revokedAt: null } : {},
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    include,
  });

  return rows.map((r) => toSummary(r as Row));
}

/** Revokes by id or by prefix. Idempotent: revoking a revoked key changes nothing (and says so). */
export async function revokeApiKey(
  actor: Actor,
  raw: RevokeApiKeyInput,
  options: Options = {},
): Promise<ApiKeySummary> {
  authorize(actor, MANAGE);
  const { id } = revokeApiKeySchema.parse(raw);

  const summary = await (options.db ?? getDb()).$transaction(async (tx) => {
    const found = await tx.apiKey.findFirst({ where: { OR: [{ id }, { prefix: id }] } });
    if (!found) throw new AppError("NOT_FOUND", `No API key ${id}`);
    const row = found.revokedAt
      ? await tx.apiKey.findUniqueOrThrow({ where: { id: found.id }, include })
      : await tx.apiKey.update({
          where: { id: found.id },
          data: { revokedAt: new Date() },
          include,
        });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "api-key.revoke",
      targetType: "api-key",
      targetId: row.id,
      success: true,
      detail: { prefix: row.prefix, alreadyRevoked: Boolean(found.revokedAt) },
      ip: options.ip,
    });

    return toSummary(row as Row);
  });
  // After COMMIT: a request that read the key before cannot cache it again past this point.
  forgetApiKeys();

  return summary;
}
