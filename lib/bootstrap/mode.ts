import { env, type Env } from "@/lib/env";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "./demo-accounts";

/**
 * Whether this process runs in demo mode. Start-up (lib/bootstrap) decides it once and records the
 * decision as PUSHDECK_DEMO=1/0 in the environment, which is how the forked web processes and
 * Next's bundle (its own copy of these modules) learn it.
 */
export function isDemoMode(): boolean {
  return process.env.PUSHDECK_DEMO === "1";
}

export const LOOPBACK = "127.0.0.1";
export const ALL_INTERFACES = "0.0.0.0";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "localhost"]);

export function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || hostname.startsWith("127.");
}

export type ListenAddress = {
  port: number;
  hostname: string;
  /** HOSTNAME_BIND chose the address (instead of the demo-mode/production default). */
  explicit: boolean;
};

/**
 * Where the server listens: PORT on HOSTNAME_BIND when set; otherwise 127.0.0.1 in demo mode (its
 * accounts have a published password, so only this machine may reach it) and 0.0.0.0 outside it.
 */
export function listenAddress(config: Env = env(), demo: boolean = isDemoMode()): ListenAddress {
  const explicit = config.HOSTNAME_BIND !== undefined;
  const hostname = config.HOSTNAME_BIND ?? (demo ? LOOPBACK : ALL_INTERFACES);

  return { port: config.PORT, hostname, explicit };
}

/** The console banner of demo mode: what is exposed, to whom, and how to leave. */
export function demoBanner(config: Env): string[] {
  const { hostname, port, explicit } = listenAddress(config, true);
  const exposed = !isLoopback(hostname);
  const rule = "=".repeat(78);

  return [
    rule,
    "DEMO MODE: for trying Pushdeck, not for real data.",
    `  The demo accounts ${DEMO_ACCOUNTS.map((a) => a.email).join(", ")}`,
    `  sign in with the published password "${DEMO_PASSWORD}".`,
    exposed
      ? `  WARNING: HOSTNAME_BIND=${hostname} makes them reachable from the network on port ${port}.`
      : `  Listening on ${hostname}:${port} only: this machine can reach Pushdeck, the network cannot` +
        (explicit ? "." : " (HOSTNAME_BIND sets the address)."),
    "  To leave demo mode, start with PUSHDECK_DEMO=0: the demo accounts are disabled.",
    rule,
  ];
}
