import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/permissions";

export const DEFAULT_ADMIN_EMAIL = "admin@pushdeck.local";
export const DEMO_PASSWORD = "pushdeck-demo";
export const DEMO_ACCOUNTS: readonly { email: string; name: string; role: Role }[] = [
  { email: "admin@demo.pushdeck", name: "Ada Admin", role: "ADMIN" },
  { email: "marketing@demo.pushdeck", name: "Mia Marketing", role: "MARKETING" },
  { email: "support@demo.pushdeck", name: "Sam Support", role: "SUPPORT" },
];

export type FirstAdminResult =
  { created: false } | { created: true; email: string; generatedPassword: string | null };

/**
 * Creates the first admin when no staff user exists. Idempotent, also across processes starting at
 * once: the unique email makes the second insert fail, which counts as "already there".
 */
export async function ensureFirstAdmin(
  db: Db,
  env: { email?: string; password?: string } = {},
): Promise<FirstAdminResult> {
  if ((await db.user.count()) > 0) return { created: false };
  const email = (env.email?.trim() || DEFAULT_ADMIN_EMAIL).toLowerCase();
  const generatedPassword = env.password ? null : randomBytes(12).toString("base64url");
  const password = env.password ?? generatedPassword!;
  try {
    await db.user.create({
      data: {
        email,
        name: "Administrator",
        role: "ADMIN",
        passwordHash: await hashPassword(password),
      },
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") return { created: false };
    throw error;
  }

  return { created: true, email, generatedPassword };
}

/** Demo accounts (one per role, shared password); existing ones are left as they are. */
export async function ensureDemoAccounts(db: Db): Promise<number> {
  let created = 0;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const account of DEMO_ACCOUNTS) {
    if (await db.user.findUnique({ where: { email: account.email } })) continue;
    try {
      await db.user.create({ data: { ...account, passwordHash } });
      created += 1;
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }

  return created;
}
