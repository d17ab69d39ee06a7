import { z } from "zod";
import { authorize, type Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { auditActor, recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/** Apple's bundle identifier: reverse-DNS, letters, digits, hyphens and dots. */
export const BUNDLE_ID = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

export const createAppSchema = z.strictObject({
  name: z.string().trim().min(1, "Enter a name").max(120),
  bundleId: z.string().trim().max(155).regex(BUNDLE_ID, "A bundle id looks like com.example.app"),
  defaultEnvironment: z.enum(["SANDBOX", "PRODUCTION"]).default("PRODUCTION"),
});
export type CreateAppInput = z.input<typeof createAppSchema>;

type Options = { db?: DbTx; ip?: string | null };
const MANAGE = { permission: "apps.manage" } as const;

/** Adds an app (apps.manage) and its audit row in one transaction, the caller's if it passes one. */
export async function createApp(actor: Actor, raw: CreateAppInput, options: Options = {}) {
  authorize(actor, MANAGE);
  const input = createAppSchema.parse(raw);

  return (options.db ?? getDb()).$transaction(async (tx) => {
    if (await tx.app.findUnique({ where: { bundleId: input.bundleId } })) {
      throw new AppError("CONFLICT", `An app with bundle id ${input.bundleId} already exists`, {
        bundleId: ["Already registered"],
      });
    }
    const app = await tx.app.create({ data: input });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "app.create",
      targetType: "app",
      targetId: app.id,
      success: true,
      detail: { bundleId: app.bundleId },
      ip: options.ip,
    });

    return app;
  });
}

/** The app with this bundle id, for admin work on it (apps.manage); NOT_FOUND when there is none. */
export async function getAppByBundleId(actor: Actor, bundleId: string, options: Options = {}) {
  authorize(actor, MANAGE);
  const app = await (options.db ?? getDb()).app.findUnique({ where: { bundleId } });
  if (!app)
    throw new AppError("NOT_FOUND", `No app with bundle id ${bundleId}`, { app: ["Unknown app"] });

  return app;
}
