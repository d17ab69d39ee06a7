import { describe, expect, it } from "vitest";
import {
  deviceRegistrationSchema,
  deviceSearchSchema,
  ID_MAX,
  parseId,
  userDevicesQuerySchema,
} from "./device";

const base = { app: "com.example.app", token: "ab".repeat(32), environment: "production" };
const fieldsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => i.path.join(".")) ?? [];

describe("registration text fields refuse control characters (PostgreSQL refuses NUL in text)", () => {
  it.each([
    ["userId", { userId: "user\u0000-1" }, "userId"],
    ["userId with a newline", { userId: "user\n1" }, "userId"],
    ["a tag", { tags: ["ok", "b\u0000d"] }, "tags.1"],
    ["a tag with DEL", { tags: ["b\u007fd"] }, "tags.0"],
    ["a C1 control in model", { model: "iPhone\u0085" }, "model"],
    ["locale", { locale: "en\u0000" }, "locale"],
    ["an attribute name", { attributes: { "a\u0000": 1 } }, "attributes"],
  ])("%s", (_what, extra, field) => {
    const result = deviceRegistrationSchema.safeParse({ ...base, ...extra });
    expect(result.success).toBe(false);
    expect(fieldsOf(result).some((f) => f.startsWith(field))).toBe(true);
    expect(JSON.stringify(result.error?.issues)).toContain("control characters");
  });

  it("accepts ordinary text, including non-Latin scripts and emoji", () => {
    const result = deviceRegistrationSchema.safeParse({
      ...base,
      userId: "ユーザー-42 😀",
      tags: ["bêta", "groupe A"],
      attributes: { note: "line one\nline two" },
    });
    expect(result.success).toBe(true);
  });

  it("search filters refuse them too", () => {
    expect(deviceSearchSchema.safeParse({ userId: "u\u0000" }).success).toBe(false);
    expect(deviceSearchSchema.safeParse({ tag: "t\u0000" }).success).toBe(false);
    expect(userDevicesQuerySchema.safeParse({ userId: "u\u0000" }).success).toBe(false);
  });
});

describe("ids and cursors stay in the Int range before they reach SQL", () => {
  it.each([
    ["1", 1],
    [String(ID_MAX), ID_MAX],
    [String(ID_MAX + 1), null],
    ["1e30", null],
    ["0", null],
    ["-1", null],
    ["01", null],
    ["1.5", null],
    ["", null],
    [" 1", null],
    ["99999999999", null],
  ])("parseId(%j) = %j", (raw, expected) => {
    expect(parseId(raw)).toBe(expected);
  });

  it("parseId ignores repeated query parameters and missing values", () => {
    expect(parseId(["1", "2"])).toBeNull();
    expect(parseId(undefined)).toBeNull();
  });

  it.each(["i:999999999999999", "t:2147483648", "i:1e30", "x:1", "i:", "i:-1"])(
    "cursor %j is refused with a 422 message",
    (cursor) => {
      expect(userDevicesQuerySchema.safeParse({ userId: "u", cursor }).success).toBe(false);
      expect(deviceSearchSchema.safeParse({ cursor }).success).toBe(false);
    },
  );

  it.each(["i:1", "t:2147483647"])("cursor %j is accepted", (cursor) => {
    expect(deviceSearchSchema.safeParse({ cursor }).success).toBe(true);
  });
});
