import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionFor, type SendFailure } from "@/lib/apns";
import type { ApiKeyPrincipal, StaffPrincipal } from "@/lib/auth/guard";
import { toDate } from "@/lib/db/sql";
import { applyDeliveryOutcome } from "@/lib/deliveries/apply-outcome";
import {
  allows,
  DEVICE_TRANSITIONS,
  registrationOf,
  type DeviceStatus,
  type EndTransition,
} from "@/lib/devices/device-state";
import { registerDevices } from "@/lib/devices/register-devices";
import { revokeDevice, unregisterDevice } from "@/lib/devices/unregister-device";
import { createTestDatabase, testProvider, type TestDatabase } from "./helpers/test-database";

// The device state table (lib/devices/device-state.ts) against its writers: registration, the
// APNs outcome's invalidation, staff revocation and the app's unregistration. Every transition is
// tried from every state; each writes its state and its event in one transaction.
const provider = testProvider();
const APP = "com.example.states";
let t: TestDatabase;
const api: ApiKeyPrincipal = {
  kind: "api-key",
  id: "key-states",
  name: "states",
  scopes: ["devices:write", "devices:read"],
  appId: null,
};
const staff: StaffPrincipal = {
  kind: "user",
  id: "user-states",
  email: "support@example.test",
  name: "Support",
  role: "SUPPORT",
};
const registeredAt = new Date("2026-11-01T00:00:00.000Z");

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.app.create({ data: { name: "States", bundleId: APP } });
});
afterAll(() => t?.drop());

const newToken = () => randomBytes(32).toString("hex");
const register = (token: string, now = registeredAt) =>
  registerDevices(api, [{ app: APP, token, environment: "production" }], { sql: t.sql, now });

async function device(token: string) {
  const [row] = await t.sql.query<{
    id: number;
    status: DeviceStatus;
    invalidReason: string | null;
    invalidatedAt: unknown;
  }>(`SELECT "id", "status", "invalidReason", "invalidatedAt" FROM "Device" WHERE "token" = $1`, [
    token,
  ]);

  return row ? { ...row, id: Number(row.id) } : undefined;
}

const events = async (deviceId: number) =>
  (
    await t.sql.query<{ kind: string }>(
      `SELECT "kind" FROM "DeviceEvent" WHERE "deviceId" = $1 ORDER BY "id"`,
      [deviceId],
    )
  ).map((e) => e.kind);

/** A device of the app in `status`, or only a token when null (no row). */
async function deviceIn(status: DeviceStatus | null): Promise<{ token: string; id?: number }> {
  const token = newToken();
  if (status === null) return { token };
  await register(token);
  const { id } = (await device(token))!;
  // Test setup, not a transition: put the row in the state under test.
  if (status !== "ACTIVE")
    await t.sql.execute(
      `UPDATE "Device" SET "status" = $1, "invalidReason" = 'setup', "invalidatedAt" = $2 WHERE "id" = $3`,
      [status, registeredAt, id],
    );

  return { token, id };
}

async function addDelivery(deviceId: number): Promise<number> {
  const [row] = await t.sql.query<{ id: number }>(
    `INSERT INTO "Delivery" ("kind", "deviceId", "status", "apnsId", "attempts", "availableAt", "createdAt")
     VALUES ('TEST', $1, 'SENDING', $2, 0, $3, $3) RETURNING "id"`,
    [deviceId, randomUUID(), registeredAt],
  );

  return Number(row.id);
}

const unregistered = (timestamp: number): SendFailure => ({
  ok: false,
  status: 410,
  reason: "Unregistered",
  action: actionFor("Unregistered", 410),
  apnsId: randomUUID(),
  attempts: 1,
  timestamp,
});

/** One end transition's writer on the device, ready to run (its delivery already written). */
async function ender(
  transition: EndTransition,
  target: { token: string; id: number },
): Promise<() => Promise<boolean>> {
  if (transition === "invalidate") {
    const deliveryId = await addDelivery(target.id);
    const outcome = unregistered(registeredAt.getTime() + 60_000);

    return () => t.sql.transaction((tx) => applyDeliveryOutcome(tx, deliveryId, outcome));
  }
  if (transition === "revoke")
    return async () => (await revokeDevice(staff, target.id, "lost phone", { sql: t.sql })).changed;

  return async () =>
    (
      await unregisterDevice(
        api,
        { app: APP, token: target.token, environment: "production" },
        { sql: t.sql },
      )
    ).changed;
}

const end = async (transition: EndTransition, target: { token: string; id: number }) =>
  (await ender(transition, target))();

const STATES: (DeviceStatus | null)[] = [null, "ACTIVE", "INVALID", "REVOKED"];
const ENDS: EndTransition[] = ["invalidate", "revoke", "unregister"];

describe(`device state table on ${provider}`, () => {
  it("is the token lifecycle of docs/architecture.md", () => {
    expect(DEVICE_TRANSITIONS).toEqual({
      register: { from: [null], to: "ACTIVE", event: "REGISTERED" },
      reactivate: { from: ["INVALID", "REVOKED"], to: "ACTIVE", event: "REACTIVATED" },
      invalidate: { from: ["ACTIVE"], to: "INVALID", event: "INVALIDATED" },
      revoke: { from: ["ACTIVE", "INVALID"], to: "REVOKED", event: "REVOKED" },
      unregister: { from: ["ACTIVE", "INVALID"], to: "REVOKED", event: "UNREGISTERED" },
    });
    expect(STATES.map(registrationOf)).toEqual(["register", "refresh", "reactivate", "reactivate"]);
  });

  it.each(STATES.map((s) => [s ?? "no row"]))(
    "registration from %s: register, reactivate or refresh as the table says",
    async (label) => {
      const from = label === "no row" ? null : (label as DeviceStatus);
      const { token, id } = await deviceIn(from);
      const before = id === undefined ? [] : await events(id);
      const { results } = await register(token, new Date(registeredAt.getTime() + 1000));
      const after = (await device(token))!;
      const kind = registrationOf(from);
      expect(after.status).toBe("ACTIVE");
      expect(after.invalidReason).toBeNull();
      expect(results[0]).toMatchObject({
        result: { register: "created", reactivate: "reactivated", refresh: "refreshed" }[kind],
      });
      expect(await events(after.id)).toEqual(
        kind === "refresh" ? before : [...before, DEVICE_TRANSITIONS[kind].event],
      );
    },
  );

  for (const transition of ENDS) {
    it(`${transition} from no row is not in the table (the writers answer NOT_FOUND)`, async () => {
      expect(allows(transition, null)).toBe(false);
      if (transition === "invalidate") return; // a delivery always names an existing device
      await expect(end(transition, { token: newToken(), id: 2_000_000_000 })).rejects.toThrow(
        /does not exist|No device/,
      );
    });

    it.each(STATES.filter((s) => s !== null).map((s) => [s]))(
      `${transition} from %s: allowed or refused as the table says`,
      async (from) => {
        const target = await deviceIn(from);
        const id = target.id!;
        const before = await events(id);
        const changed = await end(transition, { token: target.token, id });
        const after = (await device(target.token))!;
        const { to, event } = DEVICE_TRANSITIONS[transition];
        if (allows(transition, from)) {
          expect(changed).toBe(true);
          expect(after.status).toBe(to);
          expect(await events(id)).toEqual([...before, event]);
        } else {
          expect(changed).toBe(false);
          expect(after.status).toBe(from);
          expect(after.invalidReason).toBe(from === "ACTIVE" ? null : "setup");
          expect(await events(id)).toEqual(before);
        }
      },
    );
  }

  it("an invalidation records APNs' reason and time, and skips a verdict older than the registration", async () => {
    const fresh = await deviceIn("ACTIVE");
    const deliveryId = await addDelivery(fresh.id!);
    const stale = unregistered(registeredAt.getTime() - 60_000);
    expect(await t.sql.transaction((tx) => applyDeliveryOutcome(tx, deliveryId, stale))).toBe(
      false,
    );
    expect((await device(fresh.token))!.status).toBe("ACTIVE");
    const dead = unregistered(registeredAt.getTime() + 86_400_000);
    const second = await addDelivery(fresh.id!);
    expect(await t.sql.transaction((tx) => applyDeliveryOutcome(tx, second, dead))).toBe(true);
    const after = (await device(fresh.token))!;
    expect(after).toMatchObject({ status: "INVALID", invalidReason: "Unregistered" });
    expect(toDate(after.invalidatedAt)?.getTime()).toBe(dead.timestamp);
    const [delivery] = await t.sql.query<{ status: string; reason: string; apnsStatus: number }>(
      `SELECT "status", "reason", "apnsStatus" FROM "Delivery" WHERE "id" = $1`,
      [second],
    );
    expect({ ...delivery, apnsStatus: Number(delivery.apnsStatus) }).toEqual({
      status: "REJECTED",
      reason: "Unregistered",
      apnsStatus: 410,
    });
  });
});

describe(`device state writes are atomic on ${provider}`, () => {
  // The database refuses every DeviceEvent while this trigger exists: the state change made in the
  // same transaction must go with it.
  async function refusingEvents<T>(work: () => Promise<T>): Promise<void> {
    if (provider === "sqlite") {
      await t.sql.execute(
        `CREATE TRIGGER "refuse_event" BEFORE INSERT ON "DeviceEvent" BEGIN SELECT RAISE(ABORT, 'event refused'); END`,
      );
    } else {
      await t.sql.execute(
        `CREATE OR REPLACE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'event refused'; END $$`,
      );
      await t.sql.execute(
        `CREATE TRIGGER "refuse_event" BEFORE INSERT ON "DeviceEvent" FOR EACH ROW EXECUTE FUNCTION refuse_event()`,
      );
    }
    try {
      const before = await snapshot();
      await expect(work()).rejects.toThrow(/event refused/);
      expect(await snapshot()).toEqual(before);
    } finally {
      await t.sql.execute(
        provider === "sqlite"
          ? `DROP TRIGGER "refuse_event"`
          : `DROP TRIGGER "refuse_event" ON "DeviceEvent"`,
      );
    }
  }

  async function snapshot() {
    const rows = await Promise.all(
      ["Device", "DeviceEvent", "DeviceTag", "Delivery", "AuditLog"].map((table) =>
        t.sql.query(`SELECT * FROM "${table}" ORDER BY 1, 2`),
      ),
    );

    return JSON.stringify(rows, (_, v) => (typeof v === "bigint" ? String(v) : v));
  }

  it("register: no device without its REGISTERED event", async () => {
    await refusingEvents(() => register(newToken()));
  });

  it("reactivate: the device stays invalid without its REACTIVATED event", async () => {
    const { token } = await deviceIn("INVALID");
    await refusingEvents(() => register(token));
  });

  for (const transition of ENDS) {
    it(`${transition}: the device keeps its state, and nothing else of the transaction is written`, async () => {
      const target = await deviceIn("ACTIVE");
      await refusingEvents(await ender(transition, { token: target.token, id: target.id! }));
    });
  }
});
