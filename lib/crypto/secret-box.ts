import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { getSecretKeyMaterial } from "@/lib/secrets/data-secret";

/**
 * Secrets at rest (docs/architecture.md, decision 6): AES-256-GCM, with the key's id in each
 * ciphertext so keys can rotate: `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts). The
 * current key comes from PUSHDECK_SECRET_KEY (or is generated into the data folder);
 * PUSHDECK_SECRET_KEY_PREVIOUS keeps older ciphertexts readable during a rotation. Both are read
 * through lib/env.ts, the configuration checked once at start, like every other variable.
 */
type Key = { id: string; bytes: Buffer };

function keyFrom(material: string): Key {
  const bytes = createHash("sha256").update(material, "utf8").digest();

  return { id: createHash("sha256").update(bytes).digest("hex").slice(0, 8), bytes };
}

export function secretKeys(): { current: Key; all: Map<string, Key> } {
  const current = keyFrom(getSecretKeyMaterial());
  const all = new Map([[current.id, current]]);
  for (const old of env().PUSHDECK_SECRET_KEY_PREVIOUS) {
    const key = keyFrom(old);
    all.set(key.id, key);
  }

  return { current, all };
}

export function encryptSecret(plaintext: string | Uint8Array, key = secretKeys().current): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
  const data = Buffer.concat([
    cipher.update(typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext),
    cipher.final(),
  ]);

  return [
    "v1",
    key.id,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    data.toString("base64url"),
  ].join(".");
}

export function decryptSecretBytes(box: string): Buffer {
  const [version, keyId, iv, tag, data] = box.split(".");
  if (version !== "v1" || !keyId || !iv || !tag || data === undefined)
    throw new Error("Not a Pushdeck secret box");
  const key = secretKeys().all.get(keyId);
  if (!key)
    throw new Error(
      `The secret was encrypted with key ${keyId}, which is not configured (PUSHDECK_SECRET_KEY / PUSHDECK_SECRET_KEY_PREVIOUS)`,
    );
  const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));

  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]);
}

export function decryptSecret(box: string): string {
  return decryptSecretBytes(box).toString("utf8");
}
