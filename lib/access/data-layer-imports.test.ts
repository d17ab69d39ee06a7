import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// The lint rule of docs/data-access.md, run through the project's own eslint.config.mjs: pages,
// components and server actions may not import lib/db or Prisma; lib/<domain> code may; the
// lib/apns entry rule still holds for the files the new rule covers.
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });

  return result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

const DATA = /lib\/<domain> function that takes the actor/;

describe("no lib/db or Prisma outside lib/<domain>", () => {
  it.each([
    ["app/(dashboard)/admin/users/page.tsx", `import { getDb } from "@/lib/db/client";`],
    ["app/(dashboard)/admin/users/page.tsx", `import type { Db } from "@/lib/db/client";`],
    ["app/(dashboard)/devices/actions.ts", `import { getSql } from "@/lib/db/sql";`],
    ["app/api/health/route.ts", `import * as db from "@/lib/db";`],
    ["app/(dashboard)/page.tsx", `import { PrismaClient } from "@prisma/client";`],
    ["app/(dashboard)/page.tsx", `import { PrismaPg } from "@prisma/adapter-pg";`],
    ["app/(dashboard)/admin/page.tsx", `import { getDb } from "../../../lib/db/client";`],
    ["components/data-table.tsx", `import { getDb } from "@/lib/db/client";`],
    [
      "components/ui/button.tsx",
      `import { PrismaClient } from "@/lib/db/generated/sqlite/client";`,
    ],
    ["lib/api-keys/actions.ts", `import { getDb } from "@/lib/db/client";`],
    ["lib/api-keys/actions.ts", `import { getDb } from "../db/client";`],
  ])(
    "%s: %s is refused",
    async (file, code) => {
      const messages = await restrictedImports(file, code);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(DATA);
    },
    60_000,
  );

  it.each([
    [
      "app/(dashboard)/admin/users/page.tsx",
      `import { findUsers } from "@/lib/users/create-user";`,
    ],
    ["app/(dashboard)/devices/page.tsx", `import { findDevices } from "@/lib/devices";`],
    ["components/devices-table.tsx", `import type { DeviceDto } from "@/lib/devices";`],
    ["lib/users/create-user.ts", `import { getDb } from "@/lib/db/client";`],
    ["lib/devices/find-devices.ts", `import { getSql } from "@/lib/db/sql";`],
    ["tests/integration/x.test.ts", `import { getDb } from "@/lib/db/client";`],
  ])(
    "%s: %s is allowed",
    async (file, code) => {
      expect(await restrictedImports(file, code)).toEqual([]);
    },
    60_000,
  );

  it("keeps the lib/apns entry rule for the files it covers", async () => {
    const messages = await restrictedImports(
      "app/(dashboard)/campaigns/page.tsx",
      `import { buildNotification } from "@/lib/apns/payload";`,
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/public entries/);
  }, 60_000);
});
