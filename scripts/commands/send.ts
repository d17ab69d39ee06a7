import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  APNS_TRANSPORTS,
  ApnsClient,
  PUSH_TYPE_RULES,
  buildNotification,
  hasErrors,
  isApnsTransport,
  isPushType,
  validateRequest,
  type ApnsHeaders,
  type Priority,
  type PushType,
} from "@/lib/apns";
import { CREDENTIAL_OPTIONS, credentialFromFlags } from "./apns-credential-args";
import { FileProviderTokenStore } from "./file-provider-token-store";
import type { Command } from "./types";

const USAGE = `usage: pushdeck send --token HEX --topic BUNDLE [--p8 FILE --key-id K --team-id T | --p12 FILE --passphrase P]
       [--sandbox] [--endpoint HOST:PORT --ca FILE] (--payload FILE | --title T --body B)
       [--push-type alert|background|voip|…] [--priority 10|5|1] [--collapse-id ID] [--expiration UNIX]
       [--transport native|node]`;

/** Sends one push and prints APNs' answer (like Houston's `apn push`). Exit 0 when accepted. */
const send: Command = async (argv) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...CREDENTIAL_OPTIONS,
      token: { type: "string" },
      topic: { type: "string" },
      sandbox: { type: "boolean" },
      payload: { type: "string" },
      title: { type: "string" },
      body: { type: "string" },
      "push-type": { type: "string" },
      priority: { type: "string" },
      "collapse-id": { type: "string" },
      expiration: { type: "string" },
      transport: { type: "string" },
    },
    strict: true,
  });
  const pushType = (values["push-type"] ?? "alert") as PushType;
  if (
    !values.token ||
    !values.topic ||
    !isPushType(pushType) ||
    (!values.payload && !values.body)
  ) {
    console.error(USAGE);

    return 2;
  }
  const transport = values.transport ?? "native";
  if (!isApnsTransport(transport)) {
    console.error(`--transport must be one of: ${APNS_TRANSPORTS.join(", ")}`);

    return 2;
  }
  const credential = credentialFromFlags(values);
  const priority = values.priority ? (Number(values.priority) as Priority) : undefined;
  const expiration = values.expiration !== undefined ? Number(values.expiration) : undefined;
  let headers: ApnsHeaders;
  let body: string;
  if (values.payload) {
    body = readFileSync(values.payload, "utf8").trim();
    // The headers come from the same builder as every push; the body is the file, as it is.
    const topicIsFull = values.topic.endsWith(PUSH_TYPE_RULES[pushType].topicSuffix ?? "");
    headers = buildNotification({
      pushType,
      ...(topicIsFull ? { topic: values.topic } : { bundleId: values.topic }),
      priority,
      expiration,
      collapseId: values["collapse-id"],
    }).headers;
    const check = validateRequest({ headers, body }, { auth: credential.kind });
    if (hasErrors(check.issues)) return report(check.issues);
  } else {
    const built = buildNotification(
      {
        pushType,
        bundleId: values.topic,
        priority,
        expiration,
        collapseId: values["collapse-id"],
        aps: {
          alert: values.title ? { title: values.title, body: values.body } : values.body,
          sound: "default",
        },
      },
      { auth: credential.kind },
    );
    if (hasErrors(built.issues)) return report(built.issues);
    headers = built.headers;
    body = built.body;
  }
  const client = new ApnsClient({
    credential,
    environment: values.sandbox ? "sandbox" : "production",
    transport,
    tokenStore: new FileProviderTokenStore(),
    connections: 1,
  });
  const outcome = await client.send({
    deviceToken: values.token.toLowerCase(),
    headers,
    body,
  });
  await client.close();
  console.log(JSON.stringify(outcome, null, 2));

  return outcome.ok ? 0 : 1;
};

function report(issues: { severity: string; field: string; message: string }[]): number {
  for (const issue of issues) console.error(`${issue.severity}: ${issue.field}: ${issue.message}`);

  return 2;
}

export default send;
