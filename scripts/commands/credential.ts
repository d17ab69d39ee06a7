import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { systemActor } from "@/lib/access/authorize";
import { getAppByBundleId } from "@/lib/apps/create-app";
import { addCredential } from "@/lib/credentials/add-credential";
import { bootstrapForCli } from "./bootstrap-for-cli";
import { runCliStep } from "./run-cli-step";
import type { Command } from "./types";

const USAGE = `usage: pushdeck credential add --app BUNDLE (--p8 FILE --key-id K --team-id T | --p12 FILE --passphrase P)
         --environment sandbox|production|both [--endpoint HOST:PORT --ca FILE] [--name NAME]`;

const credential: Command = (argv) =>
  runCliStep(async () => {
    const [sub, ...rest] = argv;
    if (sub !== "add") {
      console.error(USAGE);

      return 2;
    }
    const { values } = parseArgs({
      args: rest,
      options: {
        app: { type: "string" },
        p8: { type: "string" },
        "key-id": { type: "string" },
        "team-id": { type: "string" },
        p12: { type: "string" },
        passphrase: { type: "string" },
        environment: { type: "string" },
        endpoint: { type: "string" },
        ca: { type: "string" },
        name: { type: "string" },
      },
      strict: true,
    });
    if (!values.app || !values.environment || !values.p8 === !values.p12) {
      console.error(USAGE);

      return 2;
    }
    await bootstrapForCli();
    const cli = systemActor("cli");
    const app = await getAppByBundleId(cli, values.app);
    const common = {
      appId: app.id,
      name: values.name,
      scope: values.environment.toUpperCase() as "SANDBOX" | "PRODUCTION" | "BOTH",
      endpoint: values.endpoint,
      caPem: values.ca ? readFileSync(values.ca, "utf8") : undefined,
    };
    const created = values.p8
      ? await addCredential(cli, {
          ...common,
          kind: "TOKEN",
          keyId: values["key-id"] ?? "",
          teamId: values["team-id"] ?? "",
          privateKeyPem: readFileSync(values.p8, "utf8"),
        })
      : await addCredential(cli, {
          ...common,
          kind: "CERTIFICATE",
          p12Base64: readFileSync(values.p12!).toString("base64"),
          passphrase: values.passphrase ?? "",
        });
    console.log(
      `added ${created.kind === "TOKEN" ? "token key" : "certificate"} "${created.name}" to ${app.bundleId} (${created.scope.toLowerCase()}), id ${created.id}`,
    );
    if (created.notAfter)
      console.log(`certificate valid until ${created.notAfter.toISOString().slice(0, 10)}`);

    return 0;
  });

export default credential;
