import { afterEach, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { demoBanner, isDemoMode, listenAddress } from "./mode";

const saved = process.env.PUSHDECK_DEMO;
afterEach(() => {
  if (saved === undefined) delete process.env.PUSHDECK_DEMO;
  else process.env.PUSHDECK_DEMO = saved;
});

describe("listenAddress", () => {
  it("keeps demo mode on this machine unless HOSTNAME_BIND says otherwise", () => {
    expect(listenAddress(parseEnv({}), true)).toEqual({
      port: 3000,
      hostname: "127.0.0.1",
      explicit: false,
    });
    expect(listenAddress(parseEnv({ HOSTNAME_BIND: "0.0.0.0", PORT: "8080" }), true)).toEqual({
      port: 8080,
      hostname: "0.0.0.0",
      explicit: true,
    });
  });

  it("listens on every interface outside demo mode, or on HOSTNAME_BIND", () => {
    expect(listenAddress(parseEnv({}), false).hostname).toBe("0.0.0.0");
    expect(listenAddress(parseEnv({ HOSTNAME_BIND: "10.1.2.3" }), false).hostname).toBe("10.1.2.3");
  });

  it("follows the demo decision start-up recorded (forked web processes read it)", () => {
    process.env.PUSHDECK_DEMO = "1";
    expect(isDemoMode()).toBe(true);
    expect(listenAddress(parseEnv({})).hostname).toBe("127.0.0.1");
    process.env.PUSHDECK_DEMO = "0";
    expect(listenAddress(parseEnv({})).hostname).toBe("0.0.0.0");
  });
});

describe("demoBanner", () => {
  it("says demo mode is on, with what password, on which address, and how to leave", () => {
    const text = demoBanner(parseEnv({})).join("\n");
    expect(text).toContain("DEMO MODE");
    expect(text).toContain('published password "pushdeck-demo"');
    expect(text).toContain("Listening on 127.0.0.1:3000 only");
    expect(text).toContain("PUSHDECK_DEMO=0");
  });

  it("warns when HOSTNAME_BIND exposes the demo accounts to the network", () => {
    const text = demoBanner(parseEnv({ HOSTNAME_BIND: "0.0.0.0" })).join("\n");
    expect(text).toContain("WARNING: HOSTNAME_BIND=0.0.0.0 makes them reachable from the network");
    expect(demoBanner(parseEnv({ HOSTNAME_BIND: "localhost" })).join("\n")).not.toContain(
      "WARNING",
    );
  });
});
