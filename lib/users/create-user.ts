import { z } from "zod";
import { authorize, type Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { auditActor, recordAudit } from "@/lib/audit/record";
import { hashPassword, MIN_PASSWORD_LENGTH } from "@/lib/auth/password";
import { ROLES, type Role } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/** Staff accounts (users.manage; the CLI acts as SYSTEM). The password hash never leaves here. */
const MANAGE = { permission: "users.manage" } as const;

export const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address").max(254),
  name: z.string().trim().min(1, "Enter a name").max(120),
  role: z.enum(ROLES),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(1024),
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export type UserSummary = {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
};

type Options = { db?: DbTx; ip?: string | null };

const summary = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  lastSignInAt: true,
  createdAt: true,
} as const;

/** Creates a staff account and its audit row in one transaction (the caller's, if it passes one). */
export async function createUser(
  actor: Actor,
  raw: CreateUserInput,
  options: Options = {},
): Promise<UserSummary> {
  authorize(actor, MANAGE);
  const input = createUserSchema.parse(raw);
  // Hashing is slow on purpose; it happens before the transaction, not while holding it.
  const passwordHash = await hashPassword(input.password);

  return (options.db ?? getDb()).$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: input.email } });
    if (existing)
      throw new AppError("CONFLICT", `A user with email ${input.email} already exists`, {
        email: ["Already in use"],
      });
    const user = await tx.user.create({
      data: { email: input.email, name: input.name, role: input.role, passwordHash },
      select: summary,
    });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "user.create",
      targetType: "user",
      targetId: user.id,
      success: true,
      detail: { email: user.email, role: user.role },
      ip: options.ip,
    });

    return user;
  });
}

/** Every staff account, enabled first, then by email (Admin → Users, `pushdeck user list`). */
export async function findUsers(actor: Actor, options: Options = {}): Promise<UserSummary[]> {
  authorize(actor, MANAGE);

  return (options.db ?? getDb()).user.findMany({
    orderBy: [{ disabled: "asc" }, { email: "asc" }],
    select: summary,
  });
}
