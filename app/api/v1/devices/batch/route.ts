import { apiRoute } from "@/lib/api/route";
import { clientIp } from "@/lib/auth/client-ip";
import { registerDevices } from "@/lib/devices/register-devices";
import { BATCH_MAX_BODY_BYTES, deviceBatchSchema } from "@/lib/validations/device";

export const dynamic = "force-dynamic";

/**
 * Up to 10,000 registrations. Always 200 with per-item results (201/200/422) and a summary: bad
 * items are reported, good ones are written together in one transaction.
 */
export const POST = apiRoute(
  {
    access: { permission: "devices.write", scope: "devices:write" },
    schema: deviceBatchSchema,
    maxBodyBytes: BATCH_MAX_BODY_BYTES,
  },
  async ({ principal, input, request }) => {
    const { results, summary } = await registerDevices(principal, input.devices, {
      ip: clientIp(request.headers),
    });

    return { status: 200, body: { summary, results } };
  },
);
