import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "@/lib/db/config";
import { env, MIN_SECRET_LENGTH, secretProblem } from "@/lib/env";
import {
  discardPrivateFile,
  ensurePrivateDir,
  PRIVATE_FILE_MODE,
  stagePrivateFile,
} from "./private-files";

/** The generated secrets of the data folder and the variable that replaces each. */
export const DATA_SECRETS = {
  "auth-secret": "AUTH_SECRET",
  "secret-key": "PUSHDECK_SECRET_KEY",
} as const satisfies Record<string, string>;

export type DataSecretFile = keyof typeof DATA_SECRETS;

/** A secret that must not be used: empty, too short. The message says which and what to do. */
export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretError";
  }
}

function variableOf(fileName: string): string {
  return (DATA_SECRETS as Record<string, string>)[fileName] ?? fileName;
}

function readSecretFile(file: string, fileName: string): string {
  const secret = readFileSync(file, "utf8").trim();
  if (secretProblem(secret))
    // An empty file used to become the key SHA-256(""), which anyone can compute.
    throw new SecretError(
      `The secret file ${file} is ${secret ? `too short (${secret.length} characters` : "empty (0 characters"}; ` +
        `at least ${MIN_SECRET_LENGTH} are needed). ` +
        `Pushdeck does not use it. Restore the file from a backup or set ${variableOf(fileName)}; ` +
        `delete the file only if nothing was encrypted or signed with it (a new one is generated at start).`,
    );

  return secret;
}

/**
 * A secret taken from the environment or, when unset, generated once into the data folder (0600, in
 * a 0700 folder) so that a fresh start needs no configuration and restarts keep sessions and
 * ciphertexts valid. Empty or short values and files are refused with a SecretError.
 *
 * The file appears with its content in one step (written aside, then hard-linked into place), so a
 * process starting at the same moment never reads it half-written.
 */
export function readOrCreateDataSecret(
  envValue: string | undefined,
  fileName: string,
  bytes = 32,
): string {
  if (envValue !== undefined && envValue !== "") {
    const issue = secretProblem(envValue);
    if (issue) throw new SecretError(`${variableOf(fileName)} ${issue}`);

    return envValue.trim();
  }
  const dir = dataDir();
  const file = path.join(dir, fileName);
  try {
    return readSecretFile(file, fileName);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  ensurePrivateDir(dir);
  const secret = randomBytes(bytes).toString("base64url");
  const staged = stagePrivateFile(file, `${secret}\n`);
  try {
    linkSync(staged, file);

    return secret;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Another process created it first: use theirs.
    if (code === "EEXIST") return readSecretFile(file, fileName);
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw error;
    // A file system without hard links: create it directly (exclusive, so one writer wins).
    try {
      writeFileSync(file, `${secret}\n`, { mode: PRIVATE_FILE_MODE, flag: "wx" });

      return secret;
    } catch (fallbackError) {
      if ((fallbackError as NodeJS.ErrnoException).code !== "EEXIST") throw fallbackError;

      return readSecretFile(file, fileName);
    }
  } finally {
    discardPrivateFile(staged);
  }
}

/** Signs staff sessions: AUTH_SECRET, else data/auth-secret. */
export function getAuthSecret(): string {
  return readOrCreateDataSecret(env().AUTH_SECRET, "auth-secret");
}

/** Encrypts secrets at rest: PUSHDECK_SECRET_KEY, else data/secret-key. */
export function getSecretKeyMaterial(): string {
  return readOrCreateDataSecret(env().PUSHDECK_SECRET_KEY, "secret-key");
}
