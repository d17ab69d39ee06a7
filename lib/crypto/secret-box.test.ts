import { describe, expect, it, beforeEach } from "vitest";
import { decryptSecret, decryptSecretBytes, encryptSecret, secretKeys } from "./secret-box";

describe("secret box", () => {
  beforeEach(() => {
    process.env.PUSHDECK_SECRET_KEY = "test-key-one-long-enough-for-the-key-check";
    delete process.env.PUSHDECK_SECRET_KEY_PREVIOUS;
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
    process.env.PUSHDECK_SECRET_KEY = "test-key-two-long-enough-for-the-key-check";
    expect(() => decryptSecret(old)).toThrow(/not configured/);
    process.env.PUSHDECK_SECRET_KEY_PREVIOUS = "test-key-one-long-enough-for-the-key-check";
    expect(decryptSecret(old)).toBe("secret");
    const parts = encryptSecret("secret").split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    expect(() => decryptSecret(parts.join("."))).toThrow();
  });
});
