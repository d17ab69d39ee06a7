import { z } from "zod";
import { authorize, type Actor } from "@/lib/access/authorize";
import { getSql, type SqlRunner } from "@/lib/db/sql";
import { appNotFoundMessage, resolveApps, restrictedAppId } from "@/lib/devices/device-access";
import { AppError } from "@/lib/errors";
import {
  bundleIdSchema,
  environmentSchema,
  ID_MAX,
  toDbEnvironment,
} from "@/lib/validations/device";
import { audienceSchema } from "./audience-schema";
import { audienceQuery } from "./audience-sql";

/**
 * Live audience counts (the composer, `POST /api/v1/campaigns/audience-count`) and the device ids
 * an audience targets, read through the one SQL builder (audience-sql.ts) the dispatcher uses.
 */
export const CAMPAIGNS_READ = { permission: "campaigns.read", scope: "campaigns:read" } as const;

/** The app by id (the dashboard) or by bundle id (the API), its environment, and the audience. */
export const audienceTargetSchema = z
  .strictObject({
    appId: z.string().min(1).max(64).optional(),
    app: bundleIdSchema.optional(),
    environment: environmentSchema,
    audience: audienceSchema,
  })
  .refine((t) => Boolean(t.appId) !== Boolean(t.app), {
    message: "give the app: app (its bundle id) or appId, not both",
    path: ["app"],
  });
export type AudienceTargetInput = z.input<typeof audienceTargetSchema>;

export const AUDIENCE_IDS_LIMIT_MAX = 10_000;
const idsOptionsSchema = z.strictObject({
  afterId: z.number().int().min(0).max(ID_MAX).default(0),
  limit: z.number().int().min(1).max(AUDIENCE_IDS_LIMIT_MAX).default(1000),
});

async function resolveTarget(actor: Actor, raw: AudienceTargetInput, sql: SqlRunner) {
  const input = audienceTargetSchema.parse(raw);
  let appId: string | undefined;
  if (input.app) {
    appId = (await resolveApps(sql, actor, [input.app])).get(input.app)?.id;
    if (!appId) throw new AppError("NOT_FOUND", appNotFoundMessage(input.app, actor));
  } else {
    const only = restrictedAppId(actor);
    const rows = await sql.query<{ id: string }>(`SELECT "id" FROM "App" WHERE "id" = $1`, [
      input.appId,
    ]);
    appId = rows[0] && (!only || only === rows[0].id) ? rows[0].id : undefined;
    if (!appId) throw new AppError("NOT_FOUND", "No such app");
  }

  return { appId, environment: toDbEnvironment(input.environment), audience: input.audience };
}

/** How many active devices of the app and environment the audience holds right now. */
export async function countAudience(
  actor: Actor,
  input: AudienceTargetInput,
  options: { sql?: SqlRunner; now?: Date } = {},
): Promise<{ count: number }> {
  authorize(actor, CAMPAIGNS_READ);
  const sql = options.sql ?? getSql();
  const target = await resolveTarget(actor, input, sql);
  const q = audienceQuery(sql.provider, { ...target, now: options.now });
  const [row] = await sql.query<{ n: number | string }>(
    `SELECT count(*) AS "n" FROM ${q.from} WHERE ${q.where}`,
    q.params,
  );

  return { count: Number(row?.n ?? 0) };
}

/**
 * The audience's device ids in ascending order, `limit` at a time after `afterId`: the keyset the
 * dispatcher iterates, and what tests compare with the count.
 */
export async function findAudienceDeviceIds(
  actor: Actor,
  input: AudienceTargetInput,
  options: { sql?: SqlRunner; now?: Date; afterId?: number; limit?: number } = {},
): Promise<{ ids: number[]; nextAfterId: number | null }> {
  authorize(actor, CAMPAIGNS_READ);
  const sql = options.sql ?? getSql();
  const page = idsOptionsSchema.parse({ afterId: options.afterId, limit: options.limit });
  const target = await resolveTarget(actor, input, sql);
  const q = audienceQuery(sql.provider, { ...target, now: options.now }, { firstParam: 2 });
  const rows = await sql.query<{ id: number | string }>(
    `SELECT d."id" FROM ${q.from} WHERE d."id" > $1 AND ${q.where} ORDER BY d."id" LIMIT ${page.limit + 1}`,
    [page.afterId, ...q.params],
  );
  const ids = rows.slice(0, page.limit).map((r) => Number(r.id));

  return { ids, nextAfterId: rows.length > page.limit ? ids.at(-1)! : null };
}
