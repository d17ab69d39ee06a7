import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/record";
import {
  commitPrivateFile,
  discardPrivateFile,
  stagePrivateFile,
} from "@/lib/secrets/private-files";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "./demo-accounts";

export { DEMO_ACCOUNTS, DEMO_PASSWORD };

export const DEFAULT_ADMIN_EMAIL = "admin@pushdeck.local";
/** The data-folder file that receives the first admin's generated password (0600). */
export const ADMIN_PASSWORD_FILE = "initial-admin-password";
const DEMO_EMAILS = DEMO_ACCOUNTS.map((account) => account.email);

export type FirstAdminResult =
  | { created: false }
  | {
      created: true;
      email: string;
      /** Null when PUSHDECK_ADMIN_PASSWORD chose it. Never printed: see `passwordFile`. */
      generatedPassword: string | null;
      /** Where the generated password was written (0600), when a file was asked for. */
      passwordFile: string | null;
    };

function passwordFileContent(email: string, password: string): string {
  return [
    "Pushdeck's first administrator, created at its first start.",
    "Sign in with these, then delete this file.",
    "",
    `email: ${email}`,
    `password: ${password}`,
    "",
  ].join("\n");
}

/** Reads back the password from a file written by ensureFirstAdmin. */
export function passwordFromFile(content: string): string | null {
  return /^password: (.+)$/m.exec(content)?.[1] ?? null;
}

/**
 * Creates the first admin when no staff user exists. Idempotent, also across processes starting at
 * once: the unique email makes the second insert fail, which counts as "already there".
 *
 * A generated password goes to `passwordFile` (0600), never to the console: logs are kept, shipped
 * and read by more people than the admin. The file is written aside first and moved into place only
 * once this process's insert won, so a start that lost the race cannot overwrite it.
 */
export async function ensureFirstAdmin(
  db: Db,
  options: { email?: string; password?: string; passwordFile?: string } = {},
): Promise<FirstAdminResult> {
  if ((await db.user.count()) > 0) return { created: false };
  const email = (options.email?.trim() || DEFAULT_ADMIN_EMAIL).toLowerCase();
  const generatedPassword = options.password ? null : randomBytes(12).toString("base64url");
  const password = options.password ?? generatedPassword!;
  const staged =
    generatedPassword && options.passwordFile
      ? stagePrivateFile(options.passwordFile, passwordFileContent(email, generatedPassword))
      : null;
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
    if (staged) discardPrivateFile(staged);
    if ((error as { code?: string }).code === "P2002") return { created: false };
    throw error;
  }
  if (staged) commitPrivateFile(staged, options.passwordFile!);

  return {
    created: true,
    email,
    generatedPassword,
    passwordFile: staged ? options.passwordFile! : null,
  };
}

/**
 * Demo accounts (one per role, shared published password): missing ones are created, disabled ones
 * (by a start outside demo mode) are enabled again; passwords are left as they are.
 */
export async function ensureDemoAccounts(db: Db): Promise<{ created: number; enabled: number }> {
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
  const { count: enabled } = await db.user.updateMany({
    where: { email: { in: DEMO_EMAILS }, disabled: true },
    data: { disabled: false },
  });
  if (enabled)
    await recordAudit(db, {
      actor: { type: "SYSTEM", label: "first-start" },
      action: "demo.accounts-enabled",
      success: true,
      detail: { reason: "demo mode is on", count: enabled },
    });

  return { created, enabled };
}

/**
 * Outside demo mode the demo accounts, whose password is published, must not sign in: they are
 * disabled (their sessions end too: sessionVersion changes), not deleted, so the campaigns, audit
 * entries and API keys they are linked to keep their history. Returns how many were enabled.
 */
export async function disableDemoAccounts(db: Db): Promise<number> {
  const { count } = await db.user.updateMany({
    where: { email: { in: DEMO_EMAILS }, disabled: false },
    data: { disabled: true, sessionVersion: { increment: 1 } },
  });
  if (count)
    await recordAudit(db, {
      actor: { type: "SYSTEM", label: "first-start" },
      action: "demo.accounts-disabled",
      success: true,
      detail: { reason: "demo mode is off", count },
    });

  return count;
}
