import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readOrCreateDataSecret, SecretError } from "./data-secret";

let root: string;
let dir: string;
const saved = process.env.PUSHDECK_DATA_DIR;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "pushdeck-secret-"));
  dir = path.join(root, "data");
  process.env.PUSHDECK_DATA_DIR = dir;
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  if (saved === undefined) delete process.env.PUSHDECK_DATA_DIR;
  else process.env.PUSHDECK_DATA_DIR = saved;
});

const mode = (file: string) => statSync(file).mode & 0o777;

describe("readOrCreateDataSecret", () => {
  it("generates the secret once, into a 0600 file in a 0700 folder", () => {
    const secret = readOrCreateDataSecret(undefined, "secret-key");
    expect(secret).toMatch(/^[\w-]{43}$/);
    expect(readOrCreateDataSecret(undefined, "secret-key")).toBe(secret);
    expect(readFileSync(path.join(dir, "secret-key"), "utf8")).toBe(`${secret}\n`);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, "secret-key"))).toBe(0o600);
  });

  it("refuses an empty secret file instead of using the key SHA-256('')", () => {
    readOrCreateDataSecret(undefined, "auth-secret"); // makes the folder
    writeFileSync(path.join(dir, "secret-key"), "\n");
    expect(() => readOrCreateDataSecret(undefined, "secret-key")).toThrow(SecretError);
    expect(() => readOrCreateDataSecret(undefined, "secret-key")).toThrow(
      new RegExp(`The secret file ${path.join(dir, "secret-key")} is empty .*PUSHDECK_SECRET_KEY`),
    );
  });

  it("refuses a short secret file", () => {
    readOrCreateDataSecret(undefined, "secret-key");
    writeFileSync(path.join(dir, "auth-secret"), "hunter2\n");
    expect(() => readOrCreateDataSecret(undefined, "auth-secret")).toThrow(
      /is too short \(7 characters; at least 32 are needed\).*AUTH_SECRET/,
    );
  });

  it("refuses a short or blank value from the environment, without echoing it", () => {
    expect(() => readOrCreateDataSecret("hunter2", "secret-key")).toThrow(
      /^PUSHDECK_SECRET_KEY must be at least 32 characters, got 7/,
    );
    expect(() => readOrCreateDataSecret("  ", "auth-secret")).toThrow(
      /^AUTH_SECRET must be at least 32 characters, got an empty value/,
    );
    const long = "k".repeat(40);
    expect(readOrCreateDataSecret(` ${long} `, "secret-key")).toBe(long);
  });

  it("takes an empty value as unset: the generated file is used", () => {
    const generated = readOrCreateDataSecret(undefined, "auth-secret");
    expect(readOrCreateDataSecret("", "auth-secret")).toBe(generated);
  });
});
