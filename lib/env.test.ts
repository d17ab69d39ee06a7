import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ENV_NAMES, EnvError, parseEnv, type EnvName } from "./env";

/** The rows of README.md's Configuration table: variable → default cell. */
function readmeTable(): Map<string, string> {
  const readme = readFileSync(path.join(import.meta.dirname, "..", "README.md"), "utf8");
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? "";
  const rows = new Map<string, string>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const name = /^`([A-Z0-9_]+)`$/.exec(cells[1] ?? "")?.[1];
    if (name) rows.set(name, cells[2]);
  }

  return rows;
}

function problems(source: Record<string, string>): readonly string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }

  return [];
}

describe("README's Configuration table and lib/env.ts", () => {
  const table = readmeTable();
  const defaults = parseEnv({});

  it("list the same variables, in the same order", () => {
    expect(table.size).toBeGreaterThan(10);
    expect([...table.keys()]).toEqual(ENV_NAMES);
  });

  it.each([...readmeTable()])("%s: the default the README gives is the schema's", (name, cell) => {
    const value = defaults[name as EnvName];
    // A default written as one literal (`3000`, optionally with a remark in parentheses) is the
    // value the schema gives an unset variable; a default in words (generated, computed at start,
    // off, —) is decided elsewhere, so the schema gives none.
    const literal = /^`([^`]+)`(?: \(.*\))?$/.exec(cell)?.[1];
    if (literal !== undefined) expect(String(value)).toBe(literal);
    else
      expect(Array.isArray(value) ? value : (value ?? null)).toSatisfy(
        (v: unknown) => v === null || (Array.isArray(v) && v.length === 0),
      );
  });
});

describe("parseEnv", () => {
  it("gives the defaults for an empty environment, and takes empty values as unset", () => {
    const env = parseEnv({ PORT: "", PUSHDECK_DEMO: "" });
    expect(env).toMatchObject({
      PORT: 3000,
      PUSHDECK_DATA_DIR: "./data",
      PUSHDECK_ADMIN_EMAIL: "admin@pushdeck.local",
      PUSHDECK_APNS_TRANSPORT: "native",
      PUSHDECK_SECRET_KEY_PREVIOUS: [],
    });
    expect(env.PUSHDECK_DEMO).toBeUndefined();
    expect(env.HOSTNAME_BIND).toBeUndefined();
    expect([...env.provided]).toEqual([]);
  });

  it("converts good values and records which variables were set", () => {
    const env = parseEnv({
      PORT: " 8080 ",
      HOSTNAME_BIND: "::1",
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/pushdeck",
      PUSHDECK_DEMO: "0",
      PUSHDECK_WEB_PROCESSES: "2",
      PUSHDECK_SECRET_KEY_PREVIOUS: "old-one, old-two,,",
      PUSHDECK_ADMIN_EMAIL: "Owner@Example.COM",
      PUSHDECK_TRUST_PROXY: "10.0.0.0/8, 127.0.0.1, 2001:db8::/32",
      PUSHDECK_SIMULATOR_ADMIN_PORT: "2198",
      UNRELATED: "ignored",
    });
    expect(env).toMatchObject({
      PORT: 8080,
      HOSTNAME_BIND: "::1",
      PUSHDECK_DEMO: false,
      PUSHDECK_WEB_PROCESSES: 2,
      PUSHDECK_SECRET_KEY_PREVIOUS: ["old-one", "old-two"],
      PUSHDECK_ADMIN_EMAIL: "owner@example.com",
      PUSHDECK_SIMULATOR_ADMIN_PORT: 2198,
    });
    expect(env.provided.has("PORT")).toBe(true);
    expect(env.provided.has("AUTH_SECRET")).toBe(false);
  });

  it.each([
    [{ PORT: "abc" }, "PORT must be an integer 1–65535, got 'abc'"],
    [{ PORT: "0" }, "PORT must be an integer 1–65535, got '0'"],
    [{ PORT: "70000" }, "PORT must be an integer 1–65535, got '70000'"],
    [{ PORT: "3000.5" }, "PORT must be an integer 1–65535, got '3000.5'"],
    [
      { HOSTNAME_BIND: "my host" },
      "HOSTNAME_BIND must be an IP address or a host name, got 'my host'",
    ],
    [{ PUSHDECK_DEMO: "yes" }, "PUSHDECK_DEMO must be 1 (on) or 0 (off), got 'yes'"],
    [{ PUSHDECK_WEB_PROCESSES: "0" }, "PUSHDECK_WEB_PROCESSES must be an integer 1–256, got '0'"],
    [
      { PUSHDECK_ADMIN_EMAIL: "admin" },
      "PUSHDECK_ADMIN_EMAIL must be an email address, got 'admin'",
    ],
    [
      { PUSHDECK_APNS_TRANSPORT: "h3" },
      "PUSHDECK_APNS_TRANSPORT must be one of 'native', 'node', got 'h3'",
    ],
    [
      { PUSHDECK_SIMULATOR_PORT: "-1" },
      "PUSHDECK_SIMULATOR_PORT must be an integer 0–65535, got '-1'",
    ],
    [
      { PUSHDECK_SIMULATOR_LATENCY_MS: "1s" },
      "PUSHDECK_SIMULATOR_LATENCY_MS must be an integer 0–60000, got '1s'",
    ],
  ])("refuses %j: %s", (source, message) => {
    expect(problems(source)).toEqual([message]);
  });

  it("names the variable of a bad DATABASE_URL without echoing its password", () => {
    const [message] = problems({ DATABASE_URL: "mysql://root:hunter2@db/pushdeck" });
    expect(message).toMatch(/^DATABASE_URL must be file:.* got 'mysql:…'$/);
    expect(message).not.toContain("hunter2");
  });

  it("refuses a PUSHDECK_TRUST_PROXY that is neither a number of proxies nor addresses", () => {
    expect(problems({ PUSHDECK_TRUST_PROXY: "10.0.0.0/8, proxy.local" })).toEqual([
      expect.stringMatching(/^PUSHDECK_TRUST_PROXY is not valid: "proxy\.local" is neither/),
    ]);
    expect(problems({ PUSHDECK_TRUST_PROXY: "10.0.0.0/33" })).toHaveLength(1);
    for (const good of ["0", "false", "2", "127.0.0.1", "[::1]", "10.0.0.0/8,fd00::/8"])
      expect(problems({ PUSHDECK_TRUST_PROXY: good })).toEqual([]);
  });

  it.each(["AUTH_SECRET", "PUSHDECK_SECRET_KEY"])(
    "refuses a short or blank %s, without echoing it",
    (name) => {
      expect(problems({ [name]: "short-secret" })).toEqual([
        `${name} must be at least 32 characters, got 12; generate one with \`openssl rand -base64 32\``,
      ]);
      expect(problems({ [name]: "   " })[0]).toContain("got an empty value");
      expect(problems({ [name]: "x".repeat(32) })).toEqual([]);
    },
  );

  it("refuses a short PUSHDECK_ADMIN_PASSWORD without echoing it", () => {
    expect(problems({ PUSHDECK_ADMIN_PASSWORD: "secret" })).toEqual([
      "PUSHDECK_ADMIN_PASSWORD must be at least 10 characters, got 6",
    ]);
  });

  it("lists every bad variable at once, in one readable error", () => {
    expect(() => parseEnv({ PORT: "abc", PUSHDECK_DEMO: "maybe" })).toThrow(
      /configuration is invalid[^]*\n {2}- PORT must be an integer 1–65535, got 'abc'\n {2}- PUSHDECK_DEMO must be 1 \(on\) or 0 \(off\), got 'maybe'/,
    );
  });
});
