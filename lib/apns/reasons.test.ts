import { describe, expect, it } from "vitest";

import { APNS_REASONS, NEVER_RETRY, classifyReason, isApnsReason } from "./reasons";
import { TRANSPORT_REASONS, classifyTransportError } from "./transport-reasons";

// The reason strings of Apple's "Handling notification responses" table (docs/apns.md §5, §3).
const APPLE_REASONS_BY_STATUS: Record<number, string[]> = {
  400: [
    "BadCollapseId",
    "BadDeviceToken",
    "BadExpirationDate",
    "BadMessageId",
    "BadPriority",
    "BadTopic",
    "DeviceTokenNotForTopic",
    "DuplicateHeaders",
    "IdleTimeout",
    "InvalidPushType",
    "MissingDeviceToken",
    "MissingTopic",
    "PayloadEmpty",
    "TopicDisallowed",
  ],
  403: [
    "BadCertificate",
    "BadCertificateEnvironment",
    "ExpiredProviderToken",
    "Forbidden",
    "InvalidProviderToken",
    "MissingProviderToken",
    "UnrelatedKeyIdInToken",
    "BadEnvironmentKeyIdInToken",
    "BadEnvironmentKeyInToken",
  ],
  404: ["BadPath"],
  405: ["MethodNotAllowed"],
  410: ["ExpiredToken", "Unregistered"],
  413: ["PayloadTooLarge"],
  429: ["TooManyProviderTokenUpdates", "TooManyRequests"],
  500: ["InternalServerError"],
  503: ["ServiceUnavailable", "Shutdown"],
};

describe("APNS_REASONS", () => {
  it("holds exactly Apple's reasons, each with its documented status", () => {
    const expected = Object.entries(APPLE_REASONS_BY_STATUS).flatMap(([status, reasons]) =>
      reasons.map((r): [string, number] => [r, Number(status)]),
    );
    const actual = Object.entries(APNS_REASONS).map(([reason, info]): [string, number] => [
      reason,
      info.status,
    ]);
    expect(new Map(actual)).toStrictEqual(new Map(expected));
  });

  it("never retries what Apple says never to retry", () => {
    expect(NEVER_RETRY).toHaveLength(6);
    for (const reason of NEVER_RETRY) {
      expect([reason, APNS_REASONS[reason].action]).not.toStrictEqual([reason, "retry"]);
      expect(APNS_REASONS[reason].action).not.toBe("refresh-token");
    }
  });

  it("invalidates tokens only for the token-is-dead reasons", () => {
    const invalidating = Object.entries(APNS_REASONS)
      .filter(([, i]) => i.action === "invalidate-token")
      .map(([r]) => r);
    expect(invalidating.sort()).toStrictEqual([
      "BadDeviceToken",
      "DeviceTokenNotForTopic",
      "ExpiredToken",
      "Unregistered",
    ]);
  });

  it("retries all 5xx and 429, and refreshes the JWT only on ExpiredProviderToken", () => {
    for (const [reason, i] of Object.entries(APNS_REASONS)) {
      if (i.status >= 500 || i.status === 429)
        expect([reason, i.action]).toStrictEqual([reason, "retry"]);
      if (i.action === "refresh-token") expect(reason).toBe("ExpiredProviderToken");
    }
  });

  it("marks only never-processed reasons for an immediate resend", () => {
    const immediate = Object.entries(APNS_REASONS)
      .filter(([, i]) => "retryImmediately" in i)
      .map(([r]) => r);
    expect(immediate.sort()).toStrictEqual(["IdleTimeout", "Shutdown"]);
  });

  it("all 403s are credential problems except the expired JWT", () => {
    for (const [reason, i] of Object.entries(APNS_REASONS)) {
      if (i.status === 403 && reason !== "ExpiredProviderToken")
        expect([reason, i.action]).toStrictEqual([reason, "fix-credential"]);
    }
  });

  it("classifies unknown reasons by status", () => {
    expect(isApnsReason("Unregistered")).toBe(true);
    expect(isApnsReason("toString")).toBe(false);
    expect(classifyReason("Unregistered", 410)).toBe("invalidate-token");
    expect(classifyReason("SomethingNew", 502)).toBe("retry");
    expect(classifyReason("SomethingNew", 429)).toBe("retry");
    expect(classifyReason("SomethingNew", 403)).toBe("fix-credential");
    expect(classifyReason("SomethingNew", 410)).toBe("invalidate-token");
    expect(classifyReason(undefined, 400)).toBe("fix-request");
  });
});

describe("transport failures", () => {
  it("all have status 0 and do not reuse an Apple reason name", () => {
    for (const [reason, i] of Object.entries(TRANSPORT_REASONS)) {
      expect(i.status).toBe(0);
      expect(isApnsReason(reason)).toBe(false);
    }
  });

  it("tells connect failures, lost requests and TLS failures apart", () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    expect(classifyTransportError(err("ECONNREFUSED"), false)).toBe("ConnectionError");
    expect(classifyTransportError(err("ECONNRESET"), false)).toBe("ConnectionError");
    expect(classifyTransportError(err("ECONNRESET"), true)).toBe("ConnectionLost");
    expect(classifyTransportError(err("ERR_HTTP2_STREAM_ERROR"), true)).toBe("ConnectionLost");
    expect(classifyTransportError(err("UNABLE_TO_VERIFY_LEAF_SIGNATURE"), false)).toBe("TlsError");
    expect(classifyTransportError(err("ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE"), false)).toBe(
      "TlsError",
    );
    // On an established connection a TLS error loses the requests on it; it is not a credential
    // problem and must be retried.
    expect(classifyTransportError(err("ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC"), true)).toBe(
      "ConnectionLost",
    );
    expect(classifyTransportError("weird", true)).toBe("ConnectionLost");
  });
});
