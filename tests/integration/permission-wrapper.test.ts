import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { runGuarded, type StaffPrincipal } from "@/lib/auth/guard";
import {
  PERMISSIONS,
  ROLE_PERMISSIONS,
  ROLES,
  type Permission,
  type Role,
} from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record";
import { systemActor } from "@/lib/access/authorize";
import { createUser } from "@/lib/users/create-user";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

let t: TestDatabase;
const actors = new Map<Role, StaffPrincipal>();

beforeAll(async () => {
  t = await createTestDatabase();
  for (const role of ROLES) {
    const user = await createUser(
      systemActor("test"),
      {
        email: `${role.toLowerCase()}@example.test`,
        name: role,
        role,
        password: "correct horse battery",
      },
      { db: t.db },
    );
    actors.set(role, { kind: "user", id: user.id, email: user.email, name: user.name, role });
  }
});
afterAll(() => t?.drop());

const schema = z.object({ note: z.string().min(1).max(20) });

/** A guarded operation that writes, so a refusal can be shown to have written nothing. */
function guardedWrite(role: Role, permission: Permission, input: unknown) {
  return runGuarded(
    actors.get(role)!,
    { permission },
    schema,
    input,
    async ({ principal, input: parsed }) => {
      await recordAudit(t.db, {
        actor: { type: "USER", id: principal.id, label: role },
        action: `test.${permission}`,
        success: true,
        detail: parsed,
      });

      return parsed.note;
    },
  );
}

const matrix = ROLES.flatMap((role) =>
  PERMISSIONS.map((permission) => ({
    role,
    permission,
    allowed: ROLE_PERMISSIONS[role].includes(permission),
  })),
);

describe(`the permission wrapper on ${testProvider()}`, () => {
  it.each(matrix)(
    "$role × $permission → allowed: $allowed",
    async ({ role, permission, allowed }) => {
      const before = await t.db.auditLog.count({
        where: { action: `test.${permission}`, actorLabel: role },
      });
      const result = await guardedWrite(role, permission, { note: "hello" });
      const after = await t.db.auditLog.count({
        where: { action: `test.${permission}`, actorLabel: role },
      });
      if (allowed) {
        expect(result).toEqual({ ok: true, data: "hello" });
        expect(after).toBe(before + 1);
      } else {
        expect(result).toMatchObject({ ok: false, code: "FORBIDDEN" });
        expect(after).toBe(before);
      }
    },
  );

  it("the table covers every role with real permissions and admin holds them all", () => {
    expect(new Set(ROLE_PERMISSIONS.ADMIN)).toEqual(new Set(PERMISSIONS));
    expect(ROLE_PERMISSIONS.MARKETING).not.toContain("devices.reveal-token");
    expect(ROLE_PERMISSIONS.SUPPORT).not.toContain("campaigns.write");
  });

  it("refuses anonymous callers and bad input before running anything", async () => {
    const ran: string[] = [];
    const anonymous = await runGuarded(
      null,
      { permission: "overview.read" },
      schema,
      { note: "x" },
      async () => ran.push("x"),
    );
    expect(anonymous).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    const invalid = await runGuarded(
      actors.get("ADMIN")!,
      { permission: "overview.read" },
      schema,
      { note: "" },
      async () => ran.push("y"),
    );
    expect(invalid).toMatchObject({
      ok: false,
      code: "VALIDATION",
      fieldErrors: { note: [expect.any(String)] },
    });
    expect(ran).toEqual([]);
  });

  it("API keys pass only with the scope the access names", async () => {
    const key = {
      kind: "api-key" as const,
      id: "k",
      name: "k",
      scopes: ["devices:read"],
      appId: null,
    };
    const ok = await runGuarded(
      key,
      { permission: "devices.read", scope: "devices:read" },
      schema,
      { note: "a" },
      async () => 1,
    );
    const denied = await runGuarded(
      key,
      { permission: "devices.write", scope: "devices:write" },
      schema,
      { note: "a" },
      async () => 1,
    );
    const staffOnly = await runGuarded(
      key,
      { permission: "users.manage" },
      schema,
      { note: "a" },
      async () => 1,
    );
    const admin = await runGuarded(
      { ...key, scopes: ["admin"] },
      { permission: "devices.write", scope: "devices:write" },
      schema,
      { note: "a" },
      async () => 1,
    );
    expect([ok.ok, denied.ok, staffOnly.ok, admin.ok]).toEqual([true, false, false, true]);
  });
});
