import { generateKeyPairSync } from "node:crypto";
import { startSimulator } from "@/lib/apns/simulator";
import type { Db } from "@/lib/db/client";
import { systemActor } from "@/lib/access/authorize";
import { addCredential } from "@/lib/credentials/add-credential";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { env, type Env } from "@/lib/env";

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

export const DEMO_KEY_ID = "DEMOKEY001";
export const DEMO_TEAM_ID = "DEMOTEAM01";
export const DEMO_CREDENTIAL_NAME = "Demo key (built-in APNs simulator)";

const globalForSimulator = globalThis as unknown as { pushdeckDemoSimulator?: Promise<Simulator> };

/**
 * The built-in APNs simulator of demo mode, in this process, on PUSHDECK_SIMULATOR_PORT (random when
 * unset; its JSON admin API on PUSHDECK_SIMULATOR_ADMIN_PORT). Sandbox mode, so answers carry
 * apns-unique-id like Apple's development environment.
 */
export function demoSimulator(config: Env = env()): Promise<Simulator> {
  globalForSimulator.pushdeckDemoSimulator ??= startSimulator({
    host: "127.0.0.1",
    port: config.PUSHDECK_SIMULATOR_PORT,
    adminPort: config.PUSHDECK_SIMULATOR_ADMIN_PORT,
    mode: "sandbox",
    // A little latency makes the demo feel like the real service without slowing anything down.
    faults: { latencyMs: config.PUSHDECK_SIMULATOR_LATENCY_MS },
  });

  return globalForSimulator.pushdeckDemoSimulator;
}

/**
 * The demo app's token credential points at the simulator; the simulator trusts its key. The key is
 * made once and kept (encrypted) in the database; endpoint and CA follow the simulator of this start.
 */
export async function connectDemoCredential(
  db: Db,
  appId: string,
  config: Env = env(),
): Promise<Simulator> {
  const simulator = await demoSimulator(config);
  const endpoint = `127.0.0.1:${simulator.port}`;
  let credential = await db.credential.findFirst({ where: { appId, name: DEMO_CREDENTIAL_NAME } });
  if (!credential) {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const created = await addCredential(
      systemActor("demo"),
      {
        kind: "TOKEN",
        appId,
        name: DEMO_CREDENTIAL_NAME,
        scope: "BOTH",
        keyId: DEMO_KEY_ID,
        teamId: DEMO_TEAM_ID,
        privateKeyPem: pem,
        endpoint,
        caPem: simulator.caPem,
      },
      { db },
    );
    credential = await db.credential.findUniqueOrThrow({ where: { id: created.id } });
  } else if (credential.endpoint !== endpoint || credential.caPem !== simulator.caPem) {
    credential = await db.credential.update({
      where: { id: credential.id },
      data: { endpoint, caPem: simulator.caPem },
    });
  }
  simulator.registerKey({
    keyId: DEMO_KEY_ID,
    teamId: DEMO_TEAM_ID,
    privateKeyPem: decryptSecret(credential.secretEnc),
    environment: "both",
  });

  return simulator;
}
