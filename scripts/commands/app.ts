import { parseArgs } from "node:util";
import { systemActor } from "@/lib/access/authorize";
import { createApp } from "@/lib/apps/create-app";
import { findAppSummaries } from "@/lib/apps/find-apps";
import { bootstrapForCli } from "./bootstrap-for-cli";
import { runCliStep } from "./run-cli-step";
import type { Command } from "./types";

const USAGE =
  "usage: pushdeck app create --bundle-id BUNDLE --name NAME [--environment sandbox|production] | app list";

const app: Command = (argv) =>
  runCliStep(async () => {
    const [sub, ...rest] = argv;
    await bootstrapForCli();
    const cli = systemActor("cli");
    if (sub === "list") {
      for (const a of await findAppSummaries(cli)) {
        console.log(
          `${a.bundleId.padEnd(40)} ${a.name.padEnd(24)} credentials: ${a.credentials}  devices: ${a.devices}`,
        );
      }

      return 0;
    }
    if (sub !== "create") {
      console.error(USAGE);

      return 2;
    }
    const { values } = parseArgs({
      args: rest,
      options: {
        "bundle-id": { type: "string" },
        name: { type: "string" },
        environment: { type: "string" },
      },
      strict: true,
    });
    const created = await createApp(cli, {
      bundleId: values["bundle-id"] ?? "",
      name: values.name ?? values["bundle-id"] ?? "",
      defaultEnvironment: (values.environment ?? "production").toUpperCase() as
        "SANDBOX" | "PRODUCTION",
    });
    console.log(`created app ${created.bundleId} (${created.name}), id ${created.id}`);

    return 0;
  });

export default app;
