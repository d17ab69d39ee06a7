import { describe, expect, it } from "vitest";

import { apnsTransportFromEnv } from "./apns-clients";

describe("PUSHDECK_APNS_TRANSPORT", () => {
  it("defaults to the native transport and takes node", () => {
    expect(apnsTransportFromEnv({})).toBe("native");
    expect(apnsTransportFromEnv({ PUSHDECK_APNS_TRANSPORT: "" })).toBe("native");
    expect(apnsTransportFromEnv({ PUSHDECK_APNS_TRANSPORT: "native" })).toBe("native");
    expect(apnsTransportFromEnv({ PUSHDECK_APNS_TRANSPORT: " node " })).toBe("node");
  });

  it("refuses anything else, naming the variable and the choices", () => {
    expect(() => apnsTransportFromEnv({ PUSHDECK_APNS_TRANSPORT: "http2" })).toThrow(
      'PUSHDECK_APNS_TRANSPORT must be one of "native", "node"; got "http2"',
    );
  });
});
