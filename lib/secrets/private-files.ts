import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";

/**
 * The data folder holds the SQLite database and the generated secrets: only the user Pushdeck runs as
 * may read it. Folders are 0700, files 0600, set when they are created and repaired at every start
 * for data folders made by older versions (or by hand).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder (and missing parents) as 0700; tightens it when it already exists. */
export function ensurePrivateDir(dir: string): { tightenedFrom: number | null } {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });

  return tighten(dir, PRIVATE_DIR_MODE);
}

/** Sets `mode` when the path exists and grants more than it; returns the mode it had then. */
export function tighten(file: string, mode: number): { tightenedFrom: number | null } {
  let current: number;
  try {
    current = statSync(file).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { tightenedFrom: null };
    throw error;
  }
  if ((current & ~mode) === 0) return { tightenedFrom: null };
  chmodSync(file, mode);

  return { tightenedFrom: current };
}

/** Creates an empty file readable only by this user, unless it exists. */
export function createPrivateFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  closeSync(openSync(file, "a", PRIVATE_FILE_MODE));
}

/**
 * Writes a 0600 file beside `file` (same folder, so a rename is atomic) and returns its path: the
 * caller renames it into place with `commitPrivateFile` or removes it with `discardPrivateFile`.
 */
export function stagePrivateFile(file: string, content: string): string {
  mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const staged = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}`,
  );
  writeFileSync(staged, content, { mode: PRIVATE_FILE_MODE, flag: "wx" });

  return staged;
}

export function commitPrivateFile(staged: string, file: string): void {
  renameSync(staged, file);
}

export function discardPrivateFile(staged: string): void {
  try {
    unlinkSync(staged);
  } catch {
    // Already gone.
  }
}

/** Octal for messages: 0o644 → "0644". */
export function formatMode(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}
