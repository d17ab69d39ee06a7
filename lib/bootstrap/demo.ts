import { systemActor } from "@/lib/access/authorize";
import { createApp, getAppByBundleId } from "@/lib/apps/create-app";
import type { Db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import type { Env } from "@/lib/env";
import type { BootstrapLog } from "./index";
import { seedDemoDevices } from "./demo-devices";
import { alreadyThere } from "./first-start";
import { connectDemoCredential } from "./demo-simulator";

export const DEMO_BUNDLE_ID = "com.pushdeck.demo";
const DEMO = systemActor("demo");

/** The demo app, created through lib/apps (validated, audited as SYSTEM "demo") when missing. */
async function ensureDemoApp(db: Db) {
  const find = () => getAppByBundleId(DEMO, DEMO_BUNDLE_ID, { db });
  try {
    return await find();
  } catch (error) {
    if (!isAppError(error) || error.code !== "NOT_FOUND") throw error;
  }
  try {
    return await createApp(
      DEMO,
      { name: "Pushdeck Demo", bundleId: DEMO_BUNDLE_ID, defaultEnvironment: "SANDBOX" },
      { db },
    );
  } catch (error) {
    // Another process starting at the same moment created it first.
    if (alreadyThere(error)) return find();
    throw error;
  }
}

/**
 * Demo-mode data beyond the accounts: the demo app, its credential pointing at the built-in APNs
 * simulator (started in this process) and simulated devices. Each capability adds its part here;
 * all of it is idempotent.
 */
export async function setUpDemo(db: Db, log: BootstrapLog, config: Env): Promise<void> {
  const app = await ensureDemoApp(db);
  const simulator = await connectDemoCredential(db, app.id, config);
  log(
    `demo mode: app ${app.bundleId} sends to the built-in APNs simulator at 127.0.0.1:${simulator.port}`,
  );
  const seeded = await seedDemoDevices(db, app.id, app.bundleId);
  if (seeded) log(`demo mode: registered ${seeded} simulated devices`);
  // The simulator keeps no state across restarts: tell it again which topic each token belongs to,
  // so it answers DeviceTokenNotForTopic like APNs. (One simulator serves both environments of the
  // demo credential, so tokens are not bound to an environment here.)
  const devices = await db.device.findMany({ where: { appId: app.id }, select: { token: true } });
  for (const device of devices) simulator.registerToken(device.token, { topic: app.bundleId });
}
