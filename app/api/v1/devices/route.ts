import { apiRoute } from "@/lib/api/route";
import { clientIp } from "@/lib/auth/client-ip";
import { registerDevice } from "@/lib/devices/register-devices";
import { deviceRegistrationSchema, SINGLE_MAX_BODY_BYTES } from "@/lib/validations/device";

export const dynamic = "force-dynamic";

/** Register or refresh one device token: 201 when new, 200 when refreshed or reactivated. */
export const POST = apiRoute(
  {
    access: { permission: "devices.write", scope: "devices:write" },
    schema: deviceRegistrationSchema,
    maxBodyBytes: SINGLE_MAX_BODY_BYTES,
  },
  async ({ principal, input, request }) => {
    const result = await registerDevice(principal, input, { ip: clientIp(request.headers) });

    return {
      status: result.status,
      body: {
        id: result.deviceId,
        app: input.app,
        environment: input.environment,
        token: result.token,
        status: "active",
        result: result.result,
      },
    };
  },
);
