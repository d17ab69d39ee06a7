import { apiRoute } from "@/lib/api/route";
import { getDeviceByToken } from "@/lib/devices/get-device";
import { unregisterDevice } from "@/lib/devices/unregister-device";
import { deviceLookupSchema } from "@/lib/validations/device";

export const dynamic = "force-dynamic";

/** GET /api/v1/devices/{token}?app=BUNDLE[&environment=…] */
export const GET = apiRoute(
  { access: { permission: "devices.read", scope: "devices:read" }, schema: deviceLookupSchema },
  async ({ principal, input }) => ({
    body: await getDeviceByToken(principal, input),
  }),
);

/** DELETE /api/v1/devices/{token}?app=BUNDLE: unregister (kept for history, never sent to). 204, also when already unregistered. */
export const DELETE = apiRoute(
  { access: { permission: "devices.write", scope: "devices:write" }, schema: deviceLookupSchema },
  async ({ principal, input, request }) => {
    await unregisterDevice(principal, input, { ip: request.ip });

    return { status: 204 };
  },
);
