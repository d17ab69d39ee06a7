// `npm run pushdeck -- <command> [subcommand] [--flags]`: Pushdeck's command line.
import type { Command } from "./commands/types";

const COMMANDS: Record<string, () => Promise<{ default: Command }>> = {
  migrate: () => import("./commands/migrate"),
  user: () => import("./commands/user"),
  app: () => import("./commands/app"),
  credential: () => import("./commands/credential"),
  apikey: () => import("./commands/apikey"),
  simulator: () => import("./commands/simulator"),
  send: () => import("./commands/send"),
  bench: () => import("./commands/bench"),
};

function usage(): string {
  return [
    "usage: npm run pushdeck -- <command> [options]",
    "",
    "commands:",
    "  migrate                                   apply pending database migrations",
    "  user create --email E --role ROLE [--password P] [--name N]",
    "  user list",
    "  apikey create --name N --scopes devices:write,devices:read,… [--app BUNDLE_ID]",
    "  apikey list [--all] | apikey revoke <id or prefix>",
    "  app create --bundle-id BUNDLE --name NAME | app list",
    "  credential add --app BUNDLE (--p8 FILE --key-id K --team-id T | --p12 FILE --passphrase P)",
    "                 --environment sandbox|production|both [--endpoint HOST:PORT --ca FILE]",
    "  simulator [--port P] [--admin-port P] [--latency MS] [--mode sandbox|production] [--key-file F --key-id K --team-id T] [--ca-out FILE]",
    "  send --token HEX --topic BUNDLE (--p8 FILE --key-id K --team-id T | --p12 FILE --passphrase P)",
    "       [--sandbox] [--endpoint HOST:PORT --ca FILE] (--payload FILE | --title T --body B) [--push-type T] [--priority P]",
    "  bench --endpoint HOST:PORT --ca FILE --p8 FILE --key-id K --team-id T --topic BUNDLE --count N [--connections C] [--json]",
    "        [--admin HOST:PORT [--faults]]",
    "",
    "DATABASE_URL selects the database (default: SQLite file in ./data).",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(usage());

    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`unknown command "${name}"\n\n${usage()}`);

    return 2;
  }
  const command = (await load()).default;

  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? `error: ${error.message}` : error);
    process.exit(1);
  },
);
