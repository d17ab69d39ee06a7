import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { hashPassword, MIN_PASSWORD_LENGTH } from "@/lib/auth/password";
import { ROLES } from "@/lib/auth/permissions";

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
  role: string;
  disabled: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
};

const summary = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  lastSignInAt: true,
  createdAt: true,
} as const;

export async function createUser(db: Db, raw: CreateUserInput): Promise<UserSummary> {
  const input = createUserSchema.parse(raw);
  const existing = await db.user.findUnique({ where: { email: input.email } });
  if (existing)
    throw new AppError("CONFLICT", `A user with email ${input.email} already exists`, {
      email: ["Already in use"],
    });

  return db.user.create({
    data: {
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    },
    select: summary,
  });
}

export async function findUsers(db: Db): Promise<UserSummary[]> {
  return db.user.findMany({ orderBy: [{ role: "asc" }, { email: "asc" }], select: summary });
}
