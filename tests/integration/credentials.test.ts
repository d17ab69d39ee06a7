import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor, type Actor } from "@/lib/access/authorize";
import { ROLES, type Role } from "@/lib/auth/permissions";
import { addCredential, type AddCredentialInput } from "@/lib/credentials/add-credential";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { loadEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

// addCredential follows docs/data-access.md: the actor first, credentials.manage checked before any
// statement, and the credential and its audit row written in one transaction — the caller's when it
// passes one.
let t: TestDatabase;
let appId = "";
let pem = "";
const staff = new Map<Role, Actor>();

const input = (): AddCredentialInput => ({
  kind: "TOKEN",
  appId,
  scope: "BOTH",
  keyId: "CREDKEY001",
  teamId: "CREDTEAM01",
  privateKeyPem: pem,
});

async function counts() {
  return {
    credentials: await t.db.credential.count(),
    audit: await t.db.auditLog.count({ where: { action: "credential.add" } }),
  };
}

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;

    return "ok";
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
}

beforeAll(async () => {
  process.env.PUSHDECK_SECRET_KEY = "credentials-test-secret-long-enough-for-the-key-check";
  loadEnv();
  t = await createTestDatabase();
  appId = (await t.db.app.create({ data: { name: "C", bundleId: "com.example.cred" } })).id;
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  for (const role of ROLES) {
    const user = await t.db.user.create({
      data: { email: `${role.toLowerCase()}@example.test`, name: role, role, passwordHash: "x" },
    });
    staff.set(role, { kind: "user", id: user.id, email: user.email, name: user.name, role });
  }
});
afterAll(() => t?.drop());

describe(`addCredential on ${testProvider()}`, () => {
  it.each(["MARKETING", "SUPPORT"] as const)(
    "refuses %s with FORBIDDEN, writing neither a credential nor an audit row",
    async (role) => {
      const before = await counts();
      expect(await codeOf(addCredential(staff.get(role)!, input(), { db: t.db }))).toBe(
        "FORBIDDEN",
      );
      expect(await counts()).toEqual(before);
    },
  );

  it("refuses API keys, whatever their scope: credentials are staff and SYSTEM work", async () => {
    const before = await counts();
    const key: Actor = { kind: "api-key", id: "k", name: "k", scopes: ["admin"], appId: null };
    expect(await codeOf(addCredential(key, input(), { db: t.db }))).toBe("FORBIDDEN");
    expect(await counts()).toEqual(before);
  });

  it.each([
    ["ADMIN", () => staff.get("ADMIN")!, "admin@example.test"],
    ["SYSTEM", () => systemActor("cli"), "cli"],
  ] as const)(
    "allows %s: one credential, encrypted, and exactly one audit row naming the actor",
    async (_, actor, label) => {
      const before = await counts();
      const created = await addCredential(actor(), input(), { db: t.db, ip: "192.0.2.1" });
      expect(created).toMatchObject({ appId, kind: "TOKEN", keyId: "CREDKEY001" });
      expect(created).not.toHaveProperty("secretEnc");
      expect(await counts()).toEqual({
        credentials: before.credentials + 1,
        audit: before.audit + 1,
      });
      const row = await t.db.credential.findUniqueOrThrow({ where: { id: created.id } });
      expect(decryptSecret(row.secretEnc)).toBe(pem);
      const audit = await t.db.auditLog.findMany({
        where: { action: "credential.add", targetId: created.id },
      });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actorLabel: label,
        targetType: "credential",
        success: true,
        ip: "192.0.2.1",
      });
      expect(audit[0].detail).not.toContain("PRIVATE KEY");
    },
  );

  it("joins the caller's transaction: a failure after the insert leaves neither row", async () => {
    const before = await counts();
    let insideTransaction: Awaited<ReturnType<typeof counts>> | null = null;
    await expect(
      t.db.$transaction(async (tx) => {
        await addCredential(systemActor("cli"), input(), { db: tx });
        insideTransaction = {
          credentials: await tx.credential.count(),
          audit: await tx.auditLog.count({ where: { action: "credential.add" } }),
        };
        throw new Error("the caller's next step failed");
      }),
    ).rejects.toThrow("the caller's next step failed");
    // Both were there inside the transaction, and both went with its rollback.
    expect(insideTransaction).toEqual({
      credentials: before.credentials + 1,
      audit: before.audit + 1,
    });
    expect(await counts()).toEqual(before);
  });

  it("an unknown app is NOT_FOUND, with nothing written", async () => {
    const before = await counts();
    expect(
      await codeOf(
        addCredential(systemActor("cli"), { ...input(), appId: "no-such-app" }, { db: t.db }),
      ),
    ).toBe("NOT_FOUND");
    expect(await counts()).toEqual(before);
  });
});
