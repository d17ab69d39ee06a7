import path from "node:path";

export type DatabaseProvider = "sqlite" | "postgresql";

export type DatabaseConfig =
  | { provider: "sqlite"; file: string; url: string }
  | {
      provider: "postgresql";
      url: string;
      host: string;
      port: number;
      user: string;
      password: string;
      database: string;
      schema: string;
    };

type PostgresConfig = Extract<DatabaseConfig, { provider: "postgresql" }>;

/**
 * pg connection fields for every pool we open (Prisma adapter, raw SQL, migrations). Discrete
 * fields, not a connection string: a connection string would override the shadow database's name
 * during migrations (docs/platform-notes.md).
 */
export function postgresConnection(config: PostgresConfig) {
  const { host, port, user, password, database } = config;

  return { host, port, user, password, database };
}

/** The data folder: SQLite file, generated secrets. `PUSHDECK_DATA_DIR`, default `./data`. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), env.PUSHDECK_DATA_DIR || "data");
}

/**
 * `DATABASE_URL` decides the database (docs/architecture.md, decision 1): unset or `file:…` →
 * SQLite (default `<data dir>/pushdeck.db`), `postgres://…` or `postgresql://…` → PostgreSQL.
 */
export function resolveDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) {
    const file = path.join(dataDir(env), "pushdeck.db");
    return { provider: "sqlite", file, url: `file:${file}` };
  }
  if (raw.startsWith("file:")) {
    const file = path.resolve(
      /* turbopackIgnore: true */ process.cwd(),
      raw.slice("file:".length).replace(/^\/\/(?=\/)/, ""),
    );
    return { provider: "sqlite", file, url: `file:${file}` };
  }
  if (/^postgres(ql)?:\/\//.test(raw)) {
    const url = new URL(raw);

    return {
      provider: "postgresql",
      url: raw,
      host: decodeURIComponent(url.hostname) || "127.0.0.1",
      port: url.port ? Number(url.port) : 5432,
      user: decodeURIComponent(url.username) || "postgres",
      password: decodeURIComponent(url.password),
      database: decodeURIComponent(url.pathname.replace(/^\//, "")) || "postgres",
      schema: url.searchParams.get("schema") || "public",
    };
  }
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL); got "${raw.split(":")[0]}:…"`,
  );
}
