import { isIP } from "node:net";
import { z } from "zod";
import { APNS_TRANSPORTS, type ApnsTransport } from "@/lib/apns";
import { parseTrustProxy } from "@/lib/auth/client-ip";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password";

/**
 * Pushdeck's configuration: every variable of README.md's Configuration table, checked once at start
 * (lib/bootstrap calls loadEnv() first), so that a bad value stops the server with a message naming
 * the variable instead of turning into NaN or a silent fallback later. lib/env.test.ts keeps this
 * schema and the README table in step (names and defaults).
 *
 * An empty value counts as unset (compose files and shells often export `NAME=`). Secret values are
 * never echoed in error messages.
 */

/** Shortest secret accepted (AUTH_SECRET, PUSHDECK_SECRET_KEY, their generated files). */
export const MIN_SECRET_LENGTH = 32;

const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

function problem(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: "custom", message });

  return z.NEVER as never;
}

const integer = (min: number, max: number) =>
  z.string().transform((raw, ctx) => {
    const text = raw.trim();
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isSafeInteger(value) && value >= min && value <= max) return value;

    return problem(ctx, `must be an integer ${min}–${max}, got '${raw}'`);
  });

/** The problem with a secret value, or null when it is acceptable. Never includes the value. */
export function secretProblem(value: string): string | null {
  const length = value.trim().length;
  if (length >= MIN_SECRET_LENGTH) return null;

  return `must be at least ${MIN_SECRET_LENGTH} characters, got ${length ? `${length}` : "an empty value"}; generate one with \`openssl rand -base64 32\``;
}

const secret = z.string().transform((raw, ctx) => {
  const issue = secretProblem(raw);

  return issue ? problem(ctx, issue) : raw.trim();
});

const flag = z.string().transform((raw, ctx) => {
  const text = raw.trim().toLowerCase();
  if (text === "1" || text === "true") return true;
  if (text === "0" || text === "false") return false;

  return problem(ctx, `must be 1 (on) or 0 (off), got '${raw}'`);
});

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

const schema = z.object({
  PORT: z.preprocess(unsetIfEmpty, integer(1, 65_535).default(3000)),
  HOSTNAME_BIND: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((raw, ctx) => {
        const host = raw.trim();
        if (isIP(host) || HOST_NAME.test(host)) return host;

        return problem(ctx, `must be an IP address or a host name, got '${raw}'`);
      })
      .optional(),
  ),
  DATABASE_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((raw, ctx) => {
        const url = raw.trim();
        // Only the scheme is echoed: the rest may hold a password.
        const scheme = url.split(":")[0];
        if (url.startsWith("file:") && url.length > "file:".length) return url;
        if (/^postgres(ql)?:\/\//.test(url) && URL.canParse(url)) return url;

        return problem(
          ctx,
          `must be file:/path/to/pushdeck.db (SQLite) or postgresql://user:pass@host:5432/db (PostgreSQL), got '${scheme}:…'`,
        );
      })
      .optional(),
  ),
  PUSHDECK_DATA_DIR: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine((value) => value.trim() !== "", "must be a folder path, got a blank value")
      .default("./data"),
  ),
  AUTH_SECRET: z.preprocess(unsetIfEmpty, secret.optional()),
  PUSHDECK_SECRET_KEY: z.preprocess(unsetIfEmpty, secret.optional()),
  PUSHDECK_ADMIN_EMAIL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((raw, ctx) => {
        const email = raw.trim().toLowerCase();
        if (z.email().safeParse(email).success) return email;

        return problem(ctx, `must be an email address, got '${raw}'`);
      })
      .default("admin@pushdeck.local"),
  ),
  PUSHDECK_ADMIN_PASSWORD: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((raw, ctx) =>
        raw.length >= MIN_PASSWORD_LENGTH
          ? raw
          : problem(ctx, `must be at least ${MIN_PASSWORD_LENGTH} characters, got ${raw.length}`),
      )
      .optional(),
  ),
  PUSHDECK_DEMO: z.preprocess(unsetIfEmpty, flag.optional()),
  PUSHDECK_WEB_PROCESSES: z.preprocess(unsetIfEmpty, integer(1, 256).optional()),
  // Checked by the parser that reads it (lib/auth/client-ip.ts), so the rules cannot drift apart.
  PUSHDECK_TRUST_PROXY: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((raw, ctx) => {
        try {
          parseTrustProxy(raw);

          return raw.trim();
        } catch (error) {
          return problem(
            ctx,
            `is not valid: ${(error as Error).message.replace(/^PUSHDECK_TRUST_PROXY: /, "")}`,
          );
        }
      })
      .optional(),
  ),
  PUSHDECK_SECRET_KEY_PREVIOUS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((raw) =>
        raw
          .split(",")
          .map((key) => key.trim())
          .filter(Boolean),
      )
      .default([]),
  ),
  PUSHDECK_APNS_TRANSPORT: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((raw, ctx): ApnsTransport => {
        const value = raw.trim();
        if ((APNS_TRANSPORTS as readonly string[]).includes(value)) return value as ApnsTransport;

        return problem(
          ctx,
          `must be one of ${APNS_TRANSPORTS.map((t) => `'${t}'`).join(", ")}, got '${raw}'`,
        );
      })
      .default("native"),
  ),
  PUSHDECK_SIMULATOR_PORT: z.preprocess(unsetIfEmpty, integer(0, 65_535).default(0)),
  PUSHDECK_SIMULATOR_ADMIN_PORT: z.preprocess(unsetIfEmpty, integer(0, 65_535).optional()),
  PUSHDECK_SIMULATOR_LATENCY_MS: z.preprocess(unsetIfEmpty, integer(0, 60_000).default(0)),
  CHROMIUM_PATH: z.preprocess(unsetIfEmpty, z.string().default("/usr/bin/chromium")),
});

export type EnvName = keyof typeof schema.shape;

/** Every configuration variable, in the order of README.md's table. */
export const ENV_NAMES = Object.keys(schema.shape) as EnvName[];

export type Env = z.output<typeof schema> & {
  /** The variables the environment sets (non-empty), as opposed to those left at their default. */
  provided: ReadonlySet<EnvName>;
};

/** A bad configuration: one line per variable at fault. */
export class EnvError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Pushdeck's configuration is invalid (see the Configuration table in README.md):\n${problems
        .map((p) => `  - ${p}`)
        .join("\n")}`,
    );
    this.name = "EnvError";
  }
}

/** Checks a set of variables (the process environment by default) without remembering it. */
export function parseEnv(source: Readonly<Record<string, string | undefined>> = process.env): Env {
  const raw = Object.fromEntries(ENV_NAMES.map((name) => [name, source[name]]));
  const result = schema.safeParse(raw);
  if (!result.success)
    throw new EnvError(
      result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`),
    );
  const provided = new Set(ENV_NAMES.filter((name) => (source[name] ?? "") !== ""));

  return { ...result.data, provided };
}

const globalForEnv = globalThis as unknown as { pushdeckEnv?: Env };

/**
 * Reads and checks the configuration and keeps it as this process's (bootstrap calls it at start;
 * tests call it to change configuration). Throws EnvError listing every bad variable.
 */
export function loadEnv(source: Readonly<Record<string, string | undefined>> = process.env): Env {
  const env = parseEnv(source);
  globalForEnv.pushdeckEnv = env;

  return env;
}

/** This process's configuration, read once (at the first call when bootstrap has not run). */
export function env(): Env {
  return globalForEnv.pushdeckEnv ?? loadEnv();
}
