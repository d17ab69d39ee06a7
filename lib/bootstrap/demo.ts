import type { Db } from "@/lib/db/client";
import type { BootstrapLog } from "./index";

/**
 * Demo-mode data beyond the accounts: the demo app, its credential pointing at the built-in APNs
 * simulator and simulated devices. Each capability adds its part here; all of it is idempotent.
 */
export async function setUpDemo(db: Db, log: BootstrapLog): Promise<void> {
  const app = await db.app.upsert({
    where: { bundleId: "com.pushdeck.demo" },
    create: { name: "Pushdeck Demo", bundleId: "com.pushdeck.demo", defaultEnvironment: "SANDBOX" },
    update: {},
  });
  log(`demo mode: app ${app.bundleId} ready`);
}
