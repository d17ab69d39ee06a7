import { parseArgs } from "node:util";
import { z } from "zod";
import { systemActor } from "@/lib/access/authorize";
import { describeZodError } from "@/lib/auth/guard";
import { isAppError } from "@/lib/errors";
import {
  createApiKey,
  createApiKeySchema,
  listApiKeys,
  revokeApiKey,
} from "@/lib/api-keys/manage-api-keys";
import { bootstrapForCli } from "./bootstrap-for-cli";
import type { Command } from "./types";

const USAGE = [
  "usage: pushdeck apikey create --name N --scopes devices:write,devices:read,… [--app BUNDLE_ID]",
  "       pushdeck apikey list [--all]",
  "       pushdeck apikey revoke <id or prefix pd_XXXXXXXX>",
].join("\n");
const cli = systemActor("cli");

const apikey: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (!["create", "list", "revoke"].includes(sub ?? "")) {
    console.error(USAGE);

    return 2;
  }
  await bootstrapForCli();
  try {
    if (sub === "create") {
      const { values } = parseArgs({
        args: rest,
        options: { name: { type: "string" }, scopes: { type: "string" }, app: { type: "string" } },
        strict: true,
      });
      const parsed = createApiKeySchema.safeParse({
        name: values.name ?? "",
        scopes: (values.scopes ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
        app: values.app,
      });
      if (!parsed.success) {
        console.error(`error: ${describeZodError(parsed.error as z.ZodError)}\n${USAGE}`);

        return 2;
      }
      const { key, apiKey } = await createApiKey(cli, parsed.data);
      console.log(
        `created API key ${apiKey.prefix} "${apiKey.name}" scopes=${apiKey.scopes.join(",")}${apiKey.app ? ` app=${apiKey.app.bundleId}` : ""}`,
      );
      console.log(`key (shown once, store it now): ${key}`);

      return 0;
    }
    if (sub === "list") {
      const { values } = parseArgs({
        args: rest,
        options: { all: { type: "boolean" } },
        strict: true,
      });
      const keys = await listApiKeys(cli, { includeRevoked: Boolean(values.all) });
      if (!keys.length) console.log("no API keys");
      for (const k of keys) {
        const state = k.revokedAt
          ? `revoked ${k.revokedAt.toISOString()}`
          : `last used ${k.lastUsedAt?.toISOString() ?? "never"}`;
        console.log(
          `${k.prefix}  ${k.name.padEnd(24)} ${k.scopes.join(",").padEnd(40)} ${(k.app?.bundleId ?? "all apps").padEnd(24)} ${state}`,
        );
      }

      return 0;
    }
    const [target] = rest;
    if (!target) {
      console.error(USAGE);

      return 2;
    }
    const revoked = await revokeApiKey(cli, { id: target });
    console.log(`revoked ${revoked.prefix} "${revoked.name}"`);

    return 0;
  } catch (error) {
    if (isAppError(error)) {
      console.error(`error: ${error.message}`);

      return 1;
    }
    throw error;
  }
};

export default apikey;
