import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import { postgresConnection, type DatabaseConfig, type DatabaseProvider } from "./config";

// Prisma's native schema engine cannot be downloaded on these machines (docs/platform-notes.md), so
// migrations run through the same engine compiled to wasm and driven by our driver adapters. It
// writes `_prisma_migrations` exactly as `prisma migrate deploy` does.

type Engine = {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

const FILTERS = { externalTables: [], externalEnums: [] };

/**
 * What the migrations create by hand because the models cannot say it per database (see the Device
 * model): PostgreSQL's unique index on the device key, SQLite's uniqueness triggers. The schema
 * engine does not know them, so its diff would drop the index (filtered out below), and a migration
 * that redefines their table on SQLite drops the triggers (createMigration warns).
 * tests/integration/device-uniqueness.test.ts proves they are in place.
 */
export const HAND_WRITTEN: Record<
  DatabaseProvider,
  { indexes: readonly string[]; triggers: readonly { name: string; table: string }[] }
> = {
  // Device_audience_idx: the audience count's expression index (docs/audiences.md).
  postgresql: {
    indexes: ["Device_token_appId_environment_key", "Device_audience_idx"],
    triggers: [],
  },
  sqlite: {
    indexes: [],
    triggers: [
      { name: "Device_token_unique_insert", table: "Device" },
      { name: "Device_token_unique_update", table: "Device" },
    ],
  },
};

/** The diff without the steps that would drop hand-written indexes. */
function withoutHandWritten(provider: DatabaseProvider, sql: string): string {
  const drops = new Set(HAND_WRITTEN[provider].indexes.map((name) => `DROP INDEX "${name}";`));

  return sql
    .split(/\n\s*\n/)
    .filter((step) => !drops.has(step.replace(/^--.*\n/gm, "").trim()))
    .join("\n\n")
    .trim();
}

export function projectRoot(): string {
  return process.env.PUSHDECK_ROOT || process.cwd();
}

export function schemaDir(provider: DatabaseProvider): string {
  return path.join(projectRoot(), "prisma", provider);
}

export function migrationsDir(provider: DatabaseProvider): string {
  return path.join(schemaDir(provider), "migrations");
}

let glue: Promise<Record<string, unknown>> | undefined;

async function loadGlue(): Promise<Record<string, unknown>> {
  glue ??= (async () => {
    const require = createRequire(path.join(projectRoot(), "package.json"));
    const pkgDir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const mod: Record<string, unknown> = await import(
      /* webpackIgnore: true */ /* turbopackIgnore: true */ `file://${path.join(pkgDir, "schema_engine_bg.js")}`
    );
    const bytes = await readFile(path.join(pkgDir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": mod as WebAssembly.ModuleImports,
    });
    (mod.__wbg_set_wasm as (exports: unknown) => void)(instance.exports);
    const start = instance.exports.__wbindgen_start as (() => void) | undefined;
    start?.();

    return mod;
  })();

  return glue;
}

function adapterFactory(config: DatabaseConfig) {
  if (config.provider === "sqlite") {
    return new PrismaBetterSqlite3({ url: config.file });
  }

  return new PrismaPg(postgresConnection(config), { schema: config.schema });
}

export async function schemaFiles(provider: DatabaseProvider) {
  const dir = schemaDir(provider);
  const names = ["schema.prisma", "models.prisma"];

  return Promise.all(
    names.map(async (name) => ({
      path: path.join(dir, name),
      content: await readFile(path.join(dir, name), "utf8"),
    })),
  );
}

type PerformIO = (query: unknown) => Promise<{ fields: { dataTypeID: number }[]; rows: unknown[] }>;

/**
 * adapter-pg refuses PostgreSQL's internal `"char"` type (OID 18), which the engine meets in the
 * catalog while describing a schema; it is one byte of text, so report it as TEXT (OID 25).
 */
function readCharAsText(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const io = adapter as unknown as { performIO?: PerformIO };
  if (adapter.provider !== "postgres" || typeof io.performIO !== "function") return adapter;
  const performIO = io.performIO.bind(adapter);
  io.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) if (field.dataTypeID === 18) field.dataTypeID = 25;

    return result;
  };

  return adapter;
}

/**
 * Runs `work` with a schema engine on the database, then closes every connection the engine opened
 * (freeing the engine alone leaves SQLite locked).
 */
export async function withSchemaEngine<T>(
  config: DatabaseConfig,
  work: (engine: Engine) => Promise<T>,
): Promise<T> {
  const mod = await loadGlue();
  const files = await schemaFiles(config.provider);
  const SchemaEngine = mod.SchemaEngine as {
    new: (o: unknown, log: (m: string) => void, f: unknown) => Promise<Engine>;
  };
  const base = adapterFactory(config);
  const opened: SqlDriverAdapter[] = [];
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => {
      const adapter = readCharAsText(await base.connect());
      opened.push(adapter);

      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = readCharAsText(await base.connectToShadowDb());
      opened.push(adapter);

      return adapter;
    },
  };
  const engine = await SchemaEngine.new(
    { datamodels: files.map((f) => [f.path, f.content]) },
    () => {},
    bindMigrationAwareSqlAdapterFactory(tracking),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((adapter) => adapter.dispose().catch(() => {})));
  }
}

export async function readMigrationsList(provider: DatabaseProvider) {
  const { readdir } = await import("node:fs/promises");
  const baseDir = migrationsDir(provider);
  let entries: string[] = [];
  try {
    entries = (await readdir(baseDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    entries = [];
  }
  entries.sort();
  const lockPath = path.join(baseDir, "migration_lock.toml");
  const lockContent = await readFile(lockPath, "utf8").catch(() => `provider = "${provider}"\n`);
  const migrationDirectories = await Promise.all(
    entries.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: {
          tag: "ok",
          value: await readFile(path.join(baseDir, name, "migration.sql"), "utf8"),
        },
      },
    })),
  );

  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** Names of the migrations recorded as applied; empty when the database or the table is new. */
export async function appliedMigrationNames(config: DatabaseConfig): Promise<Set<string>> {
  if (config.provider === "sqlite" && !existsSync(config.file)) return new Set();
  const { createSqlRunner } = await import("./sql");
  const sql = createSqlRunner(config);
  try {
    const rows = await sql.query<{ migration_name: string }>(
      `SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
    );

    return new Set(rows.map((row) => row.migration_name));
  } catch {
    return new Set();
  } finally {
    await sql.close();
  }
}

/**
 * Applies pending committed migrations; returns the names applied now. `through` stops after the
 * named one (tests of data migrations start from the schema before them).
 */
export async function applyPendingMigrations(
  config: DatabaseConfig,
  options: { through?: string } = {},
): Promise<string[]> {
  // A new SQLite database may live in a folder that does not exist yet.
  if (config.provider === "sqlite") mkdirSync(path.dirname(config.file), { recursive: true });
  const migrationsList = await readMigrationsList(config.provider);
  if (options.through) {
    const last = migrationsList.migrationDirectories.findIndex((d) => d.path === options.through);
    if (last < 0) throw new Error(`no migration named ${options.through}`);
    migrationsList.migrationDirectories.splice(last + 1);
  }
  const committed = migrationsList.migrationDirectories.map((d) => d.path);
  // The schema engine takes SQLite for itself while it works and fails beside a running server, so
  // it only starts when there is something to apply (a CLI command next to a live server is normal).
  const applied = await appliedMigrationNames(config);
  if (committed.every((name) => applied.has(name))) return [];

  return withSchemaEngine(config, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList, filters: FILTERS });

    return result.appliedMigrationNames;
  });
}

/**
 * The SQL that would turn the database's current schema into the models' schema; empty when they
 * match. Used by the test that proves the committed migrations equal the models, and to write new
 * migrations at development time.
 */
export async function diffDatabaseToModels(config: DatabaseConfig): Promise<string> {
  const files = await schemaFiles(config.provider);
  const result = await withSchemaEngine(config, (engine) =>
    engine.diff({
      from: { tag: "schemaDatasource", files, configDir: schemaDir(config.provider) },
      to: { tag: "schemaDatamodel", files },
      script: true,
      shadowDatabaseUrl: null,
      exitCode: null,
      filters: FILTERS,
    }),
  );
  const sql = withoutHandWritten(config.provider, (result.stdout ?? "").trim());

  return sql === "-- This is an empty migration." ? "" : sql;
}

/** Prisma's migration folder prefix: UTC yyyyMMddHHmmss. */
export function migrationStamp(now = new Date()): string {
  return now.toISOString().replace(/\D/g, "").slice(0, 14);
}

/**
 * Writes a new migration for one provider (development time): applies the committed migrations to
 * the given scratch database, then records the difference to the models as the next migration.
 */
export async function createMigration(
  config: DatabaseConfig,
  name: string,
  stamp = migrationStamp(),
): Promise<string | null> {
  await applyPendingMigrations(config);
  const sql = await diffDatabaseToModels(config);
  if (!sql) return null;
  for (const trigger of HAND_WRITTEN[config.provider].triggers)
    if (sql.includes(`DROP TABLE "${trigger.table}";`))
      console.warn(
        `${config.provider}: this migration redefines "${trigger.table}", which drops trigger "${trigger.name}": copy its CREATE TRIGGER from the migration that made it.`,
      );
  const { mkdir, writeFile } = await import("node:fs/promises");
  const dirName = `${stamp}_${name.replace(/[^a-z0-9_]+/gi, "_")}`;
  const dir = path.join(migrationsDir(config.provider), dirName);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), `${sql}\n`);
  await writeFile(
    path.join(migrationsDir(config.provider), "migration_lock.toml"),
    `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${config.provider}"\n`,
  );

  return dirName;
}
