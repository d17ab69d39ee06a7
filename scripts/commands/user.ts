import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";
import { systemActor } from "@/lib/access/authorize";
import { createUser, createUserSchema, findUsers } from "@/lib/users/create-user";
import { describeZodError } from "@/lib/auth/guard";
import { bootstrapForCli } from "./bootstrap-for-cli";
import { runCliStep } from "./run-cli-step";
import type { Command } from "./types";

const user: Command = (argv) =>
  runCliStep(async () => {
    const [sub, ...rest] = argv;
    await bootstrapForCli();
    const cli = systemActor("cli");
    if (sub === "list") {
      const users = await findUsers(cli);
      if (!users.length) console.log("no users");
      for (const u of users) {
        console.log(
          `${u.email.padEnd(36)} ${u.role.padEnd(10)} ${u.disabled ? "disabled" : "active  "} ${u.name}`,
        );
      }

      return 0;
    }
    if (sub === "create") {
      const { values } = parseArgs({
        args: rest,
        options: {
          email: { type: "string" },
          role: { type: "string" },
          password: { type: "string" },
          name: { type: "string" },
        },
        strict: true,
      });
      const generated = values.password ? null : randomBytes(12).toString("base64url");
      const input = {
        email: values.email ?? "",
        name: values.name ?? values.email?.split("@")[0] ?? "",
        role: (values.role ?? "").toUpperCase(),
        password: values.password ?? generated!,
      };
      const parsed = createUserSchema.safeParse(input);
      if (!parsed.success) {
        console.error(`error: ${describeZodError(parsed.error as z.ZodError)}`);

        return 2;
      }
      const created = await createUser(cli, parsed.data);
      console.log(`created ${created.role.toLowerCase()} ${created.email}`);
      if (generated) console.log(`password (shown once): ${generated}`);

      return 0;
    }
    console.error(
      "usage: pushdeck user create --email E --role ADMIN|MARKETING|SUPPORT [--password P] [--name N] | user list",
    );

    return 2;
  });

export default user;
