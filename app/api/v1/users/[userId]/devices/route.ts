import { apiRoute } from "@/lib/api/route";
import { findDevices } from "@/lib/devices/find-devices";
import { userDevicesQuerySchema } from "@/lib/validations/device";

export const dynamic = "force-dynamic";

/** GET /api/v1/users/{userId}/devices[?app=&status=&limit=&cursor=]: a user's devices, newest first. */
export const GET = apiRoute(
  { access: { permission: "devices.read", scope: "devices:read" }, schema: userDevicesQuerySchema },
  async ({ principal, input }) => ({
    body: await findDevices(principal, {
      userId: input.userId,
      app: input.app,
      status: input.status,
      limit: input.limit,
      cursor: input.cursor,
    }),
  }),
);
