"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/auth/action";
import { revokeDevice } from "@/lib/devices";
import { sendTestPush, testPushSchema } from "@/lib/push/send-test-push";

/** Sends a test push through the real sender; the answer comes back for the panel to show at once. */
export const sendTestPushAction = authedAction(
  { permission: "devices.test-push" },
  testPushSchema,
  async ({ actor, input }) => {
    const result = await sendTestPush(actor, input);
    revalidatePath(`/devices/${input.deviceId}`);

    return result;
  },
);

const revokeDeviceSchema = z.strictObject({
  deviceId: z.coerce.number().int().positive(),
  reason: z.string().trim().max(500, "Keep the reason under 500 characters").default(""),
});

/** Revokes a device from its page (audited in revokeDevice); it stays listed with its history. */
export const revokeDeviceAction = authedAction(
  { permission: "devices.write" },
  revokeDeviceSchema,
  async ({ actor, input }) => {
    const result = await revokeDevice(actor, input.deviceId, input.reason);
    revalidatePath(`/devices/${input.deviceId}`);

    return result;
  },
);
