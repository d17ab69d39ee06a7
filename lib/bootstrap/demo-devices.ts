import type { ApiKeyPrincipal } from "@/lib/auth/guard";
import type { Db } from "@/lib/db/client";
import { createRandom } from "@/lib/apns/simulator";
import { registerDevices } from "@/lib/devices/register-devices";

export const DEMO_DEVICE_COUNT = 2_000;
export const DEMO_USER_COUNT = 350;

const LOCALES = [
  "en-US",
  "en-GB",
  "fr-FR",
  "de-DE",
  "es-ES",
  "it-IT",
  "ja-JP",
  "pt-BR",
  "nl-NL",
  "sv-SE",
  "ko-KR",
  "zh-CN",
];
const TIME_ZONES = [
  "America/New_York",
  "America/Los_Angeles",
  "Europe/London",
  "Europe/Paris",
  "Europe/Berlin",
  "Asia/Tokyo",
  "America/Sao_Paulo",
  "Australia/Sydney",
  "Asia/Seoul",
  "Europe/Madrid",
];
const APP_VERSIONS = ["3.2.0", "3.2.1", "3.3.0", "3.4.0", "3.4.1"];
const OS_VERSIONS = ["17.6", "18.3", "18.5", "26.0", "26.1"];
const MODELS = ["iPhone15,2", "iPhone16,1", "iPhone17,3", "iPhone14,7", "iPad14,1"];
const TAGS = ["beta", "vip", "newsletter", "sports", "deals", "churn-risk", "premium"];

export function demoDevices(bundleId: string, count = DEMO_DEVICE_COUNT) {
  // Seeded: every fresh install gets the same demo data.
  const next = createRandom(20261128);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const hex = (bytes: number) =>
    Array.from({ length: bytes }, () =>
      Math.floor(next() * 256)
        .toString(16)
        .padStart(2, "0"),
    ).join("");

  return Array.from({ length: count }, (_, i) => {
    const user = 1 + Math.floor(next() * DEMO_USER_COUNT);
    const tags = TAGS.filter(() => next() < 0.18);

    return {
      app: bundleId,
      token: hex(32),
      // Most demo devices are on TestFlight/App Store builds; a fifth are development builds.
      environment: next() < 0.2 ? "sandbox" : "production",
      userId: `user-${String(user).padStart(4, "0")}`,
      locale: pick(LOCALES),
      timeZone: pick(TIME_ZONES),
      appVersion: pick(APP_VERSIONS),
      osVersion: pick(OS_VERSIONS),
      model: pick(MODELS),
      tags,
      attributes: { plan: next() < 0.3 ? "premium" : "free", seed: i },
    };
  });
}

const SEED_PRINCIPAL: ApiKeyPrincipal = {
  kind: "api-key",
  id: "demo-seed",
  name: "demo seed",
  scopes: ["admin"],
  appId: null,
};

/** Seeds the demo devices once (when the demo app has none), through the real registration path. */
export async function seedDemoDevices(db: Db, appId: string, bundleId: string): Promise<number> {
  if ((await db.device.count({ where: { appId } })) > 0) return 0;
  const { summary } = await registerDevices(SEED_PRINCIPAL, demoDevices(bundleId));

  return summary.created;
}
