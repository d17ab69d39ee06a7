// The `curl --http2` command equivalent to one campaign request, for the composer to show and
// for staff to paste into a terminal (Apple's "Sending push notifications using command-line
// tools", summarised in docs/apns.md). Secrets stay shell variables; the body is the exact bytes.

import type { ApnsHeaders, AuthKind } from "@/lib/apns/browser";

export const APNS_HOSTS = {
  sandbox: "api.sandbox.push.apple.com",
  production: "api.push.apple.com",
} as const;

export type CurlOptions = {
  environment: keyof typeof APNS_HOSTS;
  /** A real token (hex) to address; otherwise the command reads $DEVICE_TOKEN. */
  deviceToken?: string;
  /** token: a bearer JWT from $AUTHENTICATION_TOKEN; certificate: --cert from $CERTIFICATE_PEM. */
  authKind?: AuthKind;
};

/** A shell word: in single quotes, where nothing is special; a ' becomes '\''. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Double quotes (Apple's style) when nothing in the value is special inside them. */
function quoteHeader(value: string): string {
  return /^[\w .,:;/=+@%()[\]{}#~^*?&<>|-]*$/.test(value) ? `"${value}"` : shellQuote(value);
}

export function curlCommand(
  request: { headers: ApnsHeaders; body: string },
  options: CurlOptions,
): string {
  const args = ["curl -v --http2"];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) args.push(`-H ${quoteHeader(`${name}: ${value}`)}`);
  }
  if (options.authKind === "certificate") {
    args.push(`--cert "$CERTIFICATE_PEM"`);
  } else {
    args.push(`-H "authorization: bearer $AUTHENTICATION_TOKEN"`);
  }
  args.push(`--data ${shellQuote(request.body)}`);
  const token =
    options.deviceToken && /^[0-9a-fA-F]+$/.test(options.deviceToken)
      ? options.deviceToken
      : "$DEVICE_TOKEN";
  args.push(`"https://${APNS_HOSTS[options.environment]}/3/device/${token}"`);

  return args.join(" \\\n  ");
}
