import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/** Apple's bundle identifier: reverse-DNS, letters, digits, hyphens and dots. */
export const BUNDLE_ID = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

export const createAppSchema = z.strictObject({
  name: z.string().trim().min(1, "Enter a name").max(120),
  bundleId: z.string().trim().max(155).regex(BUNDLE_ID, "A bundle id looks like com.example.app"),
  defaultEnvironment: z.enum(["SANDBOX", "PRODUCTION"]).default("PRODUCTION"),
});
export type CreateAppInput = z.input<typeof createAppSchema>;

export async function createApp(db: Db, raw: CreateAppInput) {
  const input = createAppSchema.parse(raw);
  if (await db.app.findUnique({ where: { bundleId: input.bundleId } })) {
    throw new AppError("CONFLICT", `An app with bundle id ${input.bundleId} already exists`, {
      bundleId: ["Already registered"],
    });
  }

  return db.app.create({ data: input });
}

export async function findAppByBundleId(db: Db, bundleId: string) {
  const app = await db.app.findUnique({ where: { bundleId } });
  if (!app)
    throw new AppError("NOT_FOUND", `No app with bundle id ${bundleId}`, { app: ["Unknown app"] });

  return app;
}
