import { parseArgs } from "node:util";
import { getDb } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import { createApp } from "@/lib/apps/create-app";
import { bootstrapForCli } from "./bootstrap-for-cli";
import { runCliStep } from "./run-cli-step";
import type { Command } from "./types";

const USAGE =
  "usage: pushdeck app create --bundle-id BUNDLE --name NAME [--environment sandbox|production] | app list";

const app: Command = (argv) =>
  runCliStep(async () => {
    const [sub, ...rest] = argv;
    await bootstrapForCli();
    const db = getDb();
    if (sub === "list") {
      for (const a of await db.app.findMany({
        orderBy: { bundleId: "asc" },
        include: { _count: { select: { credentials: true, devices: true } } },
      })) {
        console.log(
          `${a.bundleId.padEnd(40)} ${a.name.padEnd(24)} credentials: ${a._count.credentials}  devices: ${a._count.devices}`,
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
    const created = await createApp(db, {
      bundleId: values["bundle-id"] ?? "",
      name: values.name ?? values["bundle-id"] ?? "",
      defaultEnvironment: (values.environment ?? "production").toUpperCase() as
        "SANDBOX" | "PRODUCTION",
    });
    await recordAudit(db, {
      actor: { type: "SYSTEM", label: "cli" },
      action: "app.create",
      targetType: "app",
      targetId: created.id,
      success: true,
      detail: { bundleId: created.bundleId },
    });
    console.log(`created app ${created.bundleId} (${created.name}), id ${created.id}`);

    return 0;
  });

export default app;
