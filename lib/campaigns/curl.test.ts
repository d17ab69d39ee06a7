import { describe, expect, it } from "vitest";
import { APNS_HOSTS as SENDER_HOSTS } from "@/lib/apns";
import { APNS_HOSTS, curlCommand, shellQuote } from "./curl";

const headers = {
  "apns-push-type": "alert",
  "apns-topic": "com.example.app",
  "apns-priority": "10",
};

describe("curlCommand", () => {
  it("writes Apple's command for the sandbox, with the token and JWT as shell variables", () => {
    expect(curlCommand({ headers, body: `{"aps":{"alert":"Hi"}}` }, { environment: "sandbox" }))
      .toBe(`curl -v --http2 \\
  -H "apns-push-type: alert" \\
  -H "apns-topic: com.example.app" \\
  -H "apns-priority: 10" \\
  -H "authorization: bearer $AUTHENTICATION_TOKEN" \\
  --data '{"aps":{"alert":"Hi"}}' \\
  "https://api.sandbox.push.apple.com/3/device/$DEVICE_TOKEN"`);
  });

  it("uses the production host, a given device token, and a certificate", () => {
    const token = "a".repeat(64);
    const curl = curlCommand(
      { headers, body: "{}" },
      { environment: "production", deviceToken: token, authKind: "certificate" },
    );
    expect(curl).toContain(`--cert "$CERTIFICATE_PEM"`);
    expect(curl).not.toContain("authorization");
    expect(curl.endsWith(`"https://api.push.apple.com/3/device/${token}"`)).toBe(true);
  });

  it("never puts a token that is not hex into the command", () => {
    const curl = curlCommand(
      { headers, body: "{}" },
      { environment: "sandbox", deviceToken: "$(rm -rf ~)" },
    );
    expect(curl).toContain("/3/device/$DEVICE_TOKEN");
    expect(curl).not.toContain("rm -rf");
  });

  it("quotes single quotes in the body and shell characters in header values", () => {
    const curl = curlCommand(
      {
        headers: { ...headers, "apns-collapse-id": `it's "$HOME"` },
        body: `{"aps":{"alert":"Don't miss it"}}`,
      },
      { environment: "sandbox" },
    );
    expect(curl).toContain(`-H 'apns-collapse-id: it'\\''s "$HOME"'`);
    expect(curl).toContain(`--data '{"aps":{"alert":"Don'\\''t miss it"}}'`);
  });

  it("knows the same hosts as the sender", () => {
    expect(APNS_HOSTS).toEqual(SENDER_HOSTS);
  });
});

describe("shellQuote", () => {
  it("round-trips through a POSIX shell's rules", () => {
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("$x `y` \\z")).toBe("'$x `y` \\z'");
  });
});
