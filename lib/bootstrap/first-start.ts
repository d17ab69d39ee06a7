import { randomBytes } from "node:crypto";
import { systemActor } from "@/lib/access/authorize";
import { auditActor, recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { createUser } from "@/lib/users/create-user";
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
/** Who acts at start-up (docs/data-access.md): audited as SYSTEM with these labels. */
const FIRST_START = systemActor("first-start");
const DEMO = systemActor("demo");

/**
 * A create that lost to another start's: the domain function's CONFLICT, or the unique index
 * (Prisma's P2002) when both passed the check before either inserted.
 */
export function alreadyThere(error: unknown): boolean {
  return (
    (isAppError(error) && error.code === "CONFLICT") ||
    (error as { code?: string }).code === "P2002"
  );
}

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
    // Through lib/users like any other caller: validated, and audited (user.create) with the insert.
    await createUser(
      FIRST_START,
      { email, name: "Administrator", role: "ADMIN", password },
      { db },
    );
  } catch (error) {
    if (staged) discardPrivateFile(staged);
    if (alreadyThere(error)) return { created: false };
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
  const existing = new Set(
    (
      await db.user.findMany({ where: { email: { in: DEMO_EMAILS } }, select: { email: true } })
    ).map((user) => user.email),
  );
  // Only missing accounts cost a password hash, so a start that finds them all stays fast.
  for (const account of DEMO_ACCOUNTS) {
    if (existing.has(account.email)) continue;
    try {
      await createUser(DEMO, { ...account, password: DEMO_PASSWORD }, { db });
      created += 1;
    } catch (error) {
      if (!alreadyThere(error)) throw error;
    }
  }
  const enabled = await db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { email: { in: DEMO_EMAILS }, disabled: true },
      data: { disabled: false },
    });
    if (count)
      await recordAudit(tx, {
        actor: auditActor(FIRST_START),
        action: "demo.accounts-enabled",
        success: true,
        detail: { reason: "demo mode is on", count },
      });

    return count;
  });

  return { created, enabled };
}

/**
 * Outside demo mode the demo accounts, whose password is published, must not sign in: they are
 * disabled (their sessions end too: sessionVersion changes), not deleted, so the campaigns, audit
 * entries and API keys they are linked to keep their history. Returns how many were enabled.
 */
export async function disableDemoAccounts(db: Db): Promise<number> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { email: { in: DEMO_EMAILS }, disabled: false },
      data: { disabled: true, sessionVersion: { increment: 1 } },
    });
    if (count)
      await recordAudit(tx, {
        actor: auditActor(FIRST_START),
        action: "demo.accounts-disabled",
        success: true,
        detail: { reason: "demo mode is off", count },
      });

    return count;
  });
}
