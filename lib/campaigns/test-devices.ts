import { z } from "zod";
import { authorize, type Actor } from "@/lib/access/authorize";
import type { DbTx } from "@/lib/access/db-handle";
import { auditActor, recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db/client";
import { visibleToken } from "@/lib/devices/device-access";
import { tokenKey } from "@/lib/devices/token-key";
import { AppError } from "@/lib/errors";
import {
  idSchema,
  textSchema,
  toApiEnvironment,
  tokenSchema,
  type ApiEnvironment,
} from "@/lib/validations/device";

/**
 * Each staff member's own test devices (the composer's "Test before sending"): devices of the
 * registry picked by id or by token, kept per user. Staff only (campaigns.write): a list belongs to
 * a person, so API keys and SYSTEM have none.
 */
const WRITE = { permission: "campaigns.write" } as const;
export const TEST_DEVICE_LABEL_MAX = 64;
export const TEST_DEVICES_MAX = 50;

export const addTestDeviceSchema = z.union([
  z.strictObject({
    deviceId: z.union([z.number().int().positive(), idSchema]),
    label: textSchema("label", TEST_DEVICE_LABEL_MAX).optional(),
  }),
  z.strictObject({
    token: tokenSchema,
    label: textSchema("label", TEST_DEVICE_LABEL_MAX).optional(),
  }),
  // A staff member's own phone, found by the user id their app registers it under.
  z.strictObject({
    userId: z.string().trim().min(1, "Enter a user id").max(200),
    label: textSchema("label", TEST_DEVICE_LABEL_MAX).optional(),
  }),
]);
export type AddTestDeviceInput = z.input<typeof addTestDeviceSchema>;
export const removeTestDeviceSchema = z.strictObject({
  deviceId: z.union([z.number().int().positive(), idSchema]),
});

export type TestDeviceDto = {
  deviceId: number;
  label: string | null;
  app: { id: string; name: string; bundleId: string };
  environment: ApiEnvironment;
  status: string;
  token: string;
  tokenMasked: boolean;
  locale: string | null;
  model: string | null;
  addedAt: Date;
};

const include = { device: { include: { app: true } } } as const;
type Row = {
  label: string | null;
  createdAt: Date;
  device: {
    id: number;
    environment: string;
    status: string;
    token: string;
    locale: string | null;
    model: string | null;
    app: { id: string; name: string; bundleId: string };
  };
};

export function toTestDeviceDto(actor: Actor, { device: d, ...row }: Row): TestDeviceDto {
  return {
    deviceId: d.id,
    label: row.label,
    app: { id: d.app.id, name: d.app.name, bundleId: d.app.bundleId },
    environment: toApiEnvironment(d.environment),
    status: d.status.toLowerCase(),
    ...visibleToken(actor, d.token),
    locale: d.locale,
    model: d.model,
    addedAt: row.createdAt,
  };
}

/** The staff member whose list this is. */
function owner(actor: Actor): string {
  if (actor.kind !== "user")
    throw new AppError("FORBIDDEN", "Test devices belong to a staff member");

  return actor.id;
}

/** The actor's test devices, newest first. */
export async function findTestDevices(
  actor: Actor,
  options: { db?: DbTx } = {},
): Promise<TestDeviceDto[]> {
  authorize(actor, WRITE);
  const rows = await (options.db ?? getDb()).testDevice.findMany({
    where: { userId: owner(actor) },
    include,
    orderBy: [{ createdAt: "desc" }, { deviceId: "desc" }],
  });

  return rows.map((row) => toTestDeviceDto(actor, row));
}

/**
 * Adds a device of the registry to the actor's test devices: by id, by its full token, or by user
 * id (that user's most recently registered active device).
 */
export async function addTestDevice(
  actor: Actor,
  raw: AddTestDeviceInput,
  options: { db?: DbTx } = {},
): Promise<TestDeviceDto> {
  authorize(actor, WRITE);
  const userId = owner(actor);
  const input = addTestDeviceSchema.parse(raw);
  const db = options.db ?? getDb();

  return db.$transaction(async (tx) => {
    const devices =
      "token" in input
        ? await tx.device.findMany({
            where: { tokenKey: tokenKey(input.token), token: input.token },
            select: { id: true, status: true },
          })
        : "userId" in input
          ? await tx.device.findMany({
              where: { userId: input.userId, status: "ACTIVE" },
              orderBy: [{ lastRegisteredAt: "desc" }, { id: "desc" }],
              take: 1,
              select: { id: true, status: true },
            })
          : await tx.device.findMany({
              where: { id: Number(input.deviceId) },
              select: { id: true, status: true },
            });
    if (devices.length === 0)
      throw new AppError(
        "NOT_FOUND",
        "userId" in input
          ? `No active device registered for user ${input.userId}`
          : "No device with this token or id in the registry",
      );
    // The same token registered for two apps or environments: the token alone does not say which.
    if (devices.length > 1)
      throw new AppError(
        "CONFLICT",
        "This token is registered for several apps or environments; pick the device by id",
        {
          token: ["Registered more than once: pick the device by id"],
        },
      );
    const [device] = devices;
    if (device.status === "REVOKED")
      throw new AppError("CONFLICT", "This device was revoked; it can't receive pushes");
    if ((await tx.testDevice.count({ where: { userId } })) >= TEST_DEVICES_MAX)
      throw new AppError(
        "CONFLICT",
        `You can keep at most ${TEST_DEVICES_MAX} test devices; remove one first`,
      );
    const row = await tx.testDevice.upsert({
      where: { userId_deviceId: { userId, deviceId: device.id } },
      create: { userId, deviceId: device.id, label: input.label ?? null },
      update: { label: input.label ?? null },
      include,
    });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "test-device.add",
      targetType: "device",
      targetId: String(device.id),
      success: true,
      detail: { label: input.label ?? null },
    });

    return toTestDeviceDto(actor, row);
  });
}

/** Removes a device from the actor's test devices (the device itself stays in the registry). */
export async function removeTestDevice(
  actor: Actor,
  raw: z.input<typeof removeTestDeviceSchema>,
  options: { db?: DbTx } = {},
): Promise<void> {
  authorize(actor, WRITE);
  const userId = owner(actor);
  const deviceId = Number(removeTestDeviceSchema.parse(raw).deviceId);
  const db = options.db ?? getDb();
  await db.$transaction(async (tx) => {
    const { count } = await tx.testDevice.deleteMany({ where: { userId, deviceId } });
    if (count === 0) throw new AppError("NOT_FOUND", "This device is not one of your test devices");
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "test-device.remove",
      targetType: "device",
      targetId: String(deviceId),
      success: true,
    });
  });
}
