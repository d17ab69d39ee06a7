import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "@/lib/db/config";

/**
 * A secret taken from the environment or, when absent, generated once into the data folder (mode
 * 0600) so that a fresh start needs no configuration and restarts keep sessions and ciphertexts valid.
 */
export function readOrCreateDataSecret(
  envValue: string | undefined,
  fileName: string,
  bytes = 32,
): string {
  if (envValue && envValue.trim()) return envValue.trim();
  const dir = dataDir();
  const file = path.join(dir, fileName);
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(dir, { recursive: true });
    const secret = randomBytes(bytes).toString("base64url");
    try {
      writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    } catch {
      // Another process wrote it first: use theirs.
      return readFileSync(file, "utf8").trim();
    }

    return secret;
  }
}

export function getAuthSecret(): string {
  return readOrCreateDataSecret(process.env.AUTH_SECRET, "auth-secret");
}
