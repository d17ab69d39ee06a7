import { describe, expect, it, beforeEach, afterEach } from "vitest";
import { loadEnv } from "@/lib/env";
import { decryptSecret, decryptSecretBytes, encryptSecret, secretKeys } from "./secret-box";

const KEY_ONE = "test-key-one-long-enough-for-the-key-check";
const KEY_TWO = "test-key-two-long-enough-for-the-key-check";

// The keys come from the configuration lib/env.ts checked (loadEnv), as at start.
describe("secret box", () => {
  beforeEach(() => {
    loadEnv({ PUSHDECK_SECRET_KEY: KEY_ONE });
  });
  afterEach(() => {
    delete process.env.PUSHDECK_SECRET_KEY;
    loadEnv();
  });

  it("round-trips text and bytes, and never repeats a ciphertext", () => {
    const a = encryptSecret("-----BEGIN PRIVATE KEY-----\nabc\n");
    const b = encryptSecret("-----BEGIN PRIVATE KEY-----\nabc\n");
    expect(a).not.toBe(b);
    expect(a).not.toContain("PRIVATE");
    expect(decryptSecret(a)).toBe("-----BEGIN PRIVATE KEY-----\nabc\n");
    expect([...decryptSecretBytes(encryptSecret(new Uint8Array([0, 255, 7])))]).toEqual([
      0, 255, 7,
    ]);
  });

  it("carries the key id so an old key still decrypts after rotation, and tampering fails", () => {
    const old = encryptSecret("secret");
    const oldId = secretKeys().current.id;
    expect(old.split(".")[1]).toBe(oldId);
    loadEnv({ PUSHDECK_SECRET_KEY: KEY_TWO });
    expect(() => decryptSecret(old)).toThrow(/not configured/);
    loadEnv({ PUSHDECK_SECRET_KEY: KEY_TWO, PUSHDECK_SECRET_KEY_PREVIOUS: ` ${KEY_ONE}, ` });
    expect(decryptSecret(old)).toBe("secret");
    const parts = encryptSecret("secret").split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    expect(() => decryptSecret(parts.join("."))).toThrow();
  });

  it("reads the keys through lib/env.ts, not from process.env behind its back", () => {
    const box = encryptSecret("secret");
    // A variable changed after start is not the configuration until it is loaded again.
    process.env.PUSHDECK_SECRET_KEY = KEY_TWO;
    expect(decryptSecret(box)).toBe("secret");
    expect(encryptSecret("x").split(".")[1]).toBe(box.split(".")[1]);
    loadEnv();
    expect(() => decryptSecret(box)).toThrow(/not configured/);
  });
});
