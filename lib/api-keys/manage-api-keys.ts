import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { API_SCOPES } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { generateApiKey, parseScopes } from "./api-keys";

/**
 * Admin → API keys, and `pushdeck apikey …`: create (the key is returned once, only its hash is
 * kept), list and revoke. Every change is audited. Callers check `api-keys.manage` first (the
 * server actions go through authedAction; the CLI is trusted as the machine's operator).
 */
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
  db: Db,
  actor: AuditActor,
  raw: CreateApiKeyInput,
  ip: string | null = null,
): Promise<{ key: string; apiKey: ApiKeySummary }> {
  const input = createApiKeySchema.parse(raw);
  let appId: string | null = null;
  if (input.app) {
    const app = await db.app.findUnique({ where: { bundleId: input.app } });
    if (!app)
      throw new AppError("VALIDATION", `No app with bundle id ${input.app}`, {
        app: ["Unknown app"],
      });
    appId = app.id;
  }
  const { key, prefix, hash } = generateApiKey();
  const row = await db.apiKey.create({
    data: {
      name: input.name,
      prefix,
      hash,
      scopes: [...new Set(input.scopes)].join(","),
      appId,
      createdById: actor.type === "USER" ? actor.id : null,
    },
    include,
  });
  await recordAudit(db, {
    actor,
    action: "api-key.create",
    targetType: "api-key",
    targetId: row.id,
    success: true,
    detail: { name: row.name, prefix, scopes: input.scopes, app: input.app ?? null },
    ip,
  });

  return { key, apiKey: toSummary(row as Row) };
}

export async function listApiKeys(
  db: Db,
  options: { includeRevoked?: boolean } = {},
): Promise<ApiKeySummary[]> {
  const rows = await db.apiKey.findMany({
    where: options.includeRevoked === false ? { revokedAt: null } : {},
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    include,
  });

  return rows.map((r) => toSummary(r as Row));
}

/** Revokes by id or by prefix (`pd_XXXXXXXX`, what the CLI and the UI show). Idempotent. */
export async function revokeApiKey(
  db: Db,
  actor: AuditActor,
  idOrPrefix: string,
  ip: string | null = null,
): Promise<ApiKeySummary> {
  const found = await db.apiKey.findFirst({
    where: { OR: [{ id: idOrPrefix }, { prefix: idOrPrefix }] },
  });
  if (!found) throw new AppError("NOT_FOUND", `No API key ${idOrPrefix}`);
  const row = found.revokedAt
    ? await db.apiKey.findUniqueOrThrow({ where: { id: found.id }, include })
    : await db.apiKey.update({ where: { id: found.id }, data: { revokedAt: new Date() }, include });
  await recordAudit(db, {
    actor,
    action: "api-key.revoke",
    targetType: "api-key",
    targetId: row.id,
    success: true,
    detail: { prefix: row.prefix, alreadyRevoked: Boolean(found.revokedAt) },
    ip,
  });

  return toSummary(row as Row);
}
