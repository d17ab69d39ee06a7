import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { tokenKey, tokenKeyRange } from "./token-key";

describe("tokenKey", () => {
  it("reads the first 13 hex digits as an exact integer", () => {
    expect(tokenKey("0".repeat(64))).toBe(0);
    expect(tokenKey("0000000000001" + "f".repeat(51))).toBe(1);
    expect(tokenKey("f".repeat(64))).toBe(2 ** 52 - 1);
    expect(Number.isSafeInteger(tokenKey("f".repeat(200)))).toBe(true);
    expect(tokenKey("abcdef0123456" + "7".repeat(51))).toBe(0xabcdef0123456);
  });

  it("sorts as the tokens do", () => {
    const tokens = Array.from({ length: 2000 }, () => randomBytes(32).toString("hex")).sort();
    for (let i = 1; i < tokens.length; i++)
      expect(tokenKey(tokens[i - 1])).toBeLessThanOrEqual(tokenKey(tokens[i]));
  });
});

describe("tokenKeyRange", () => {
  it("holds exactly the keys of the tokens that start with the prefix", () => {
    const tokens = Array.from({ length: 5000 }, () => randomBytes(32).toString("hex"));
    for (const prefix of ["a", "0f", "ffff", "1234567", "abcdef012345", "abcdef0123456", "00"]) {
      const { from, to } = tokenKeyRange(prefix);
      for (const token of [...tokens, prefix.padEnd(64, "0"), prefix.padEnd(64, "f")]) {
        const inRange = tokenKey(token) >= from && tokenKey(token) <= to;
        // The range is exact up to 13 digits; longer prefixes need the token compared as well.
        if (token.startsWith(prefix)) expect(inRange).toBe(true);
        else if (prefix.length <= 13) expect(inRange).toBe(false);
      }
    }
  });

  it("is one key for a prefix of 13 digits or more", () => {
    const token = randomBytes(32).toString("hex");
    expect(tokenKeyRange(token)).toEqual({ from: tokenKey(token), to: tokenKey(token) });
    expect(tokenKeyRange(token.slice(0, 20))).toEqual({
      from: tokenKey(token),
      to: tokenKey(token),
    });
  });
});
