import { defineApiHandler } from "@/lib/api/handler";
import { registerDevice, registerDevices } from "@/lib/devices/register-devices";
import {
  BATCH_MAX_BODY_BYTES,
  deviceBatchSchema,
  deviceRegistrationSchema,
  SINGLE_MAX_BODY_BYTES,
} from "@/lib/validations/device";

/**
 * The registration endpoints, the hottest requests Pushdeck serves (apps call them on every
 * launch). Defined once here; Next serves them through app/api/v1/devices/** (thin route files) and
 * `npm start`'s server through its fast path (lib/http/node-api.ts), with the same result.
 */

/** POST /api/v1/devices: register or refresh one token; 201 when new, 200 when refreshed or reactivated. */
export const registerDeviceHandler = defineApiHandler(
  {
    access: { permission: "devices.write", scope: "devices:write" },
    schema: deviceRegistrationSchema,
    maxBodyBytes: SINGLE_MAX_BODY_BYTES,
  },
  async ({ principal, input, request }) => {
    const result = await registerDevice(principal, input, { ip: request.ip });

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

/**
 * POST /api/v1/devices/batch: up to 10,000 registrations. Always 200 with per-item results
 * (201/200/422) and a summary: bad items are reported, good ones written together in one transaction.
 */
export const registerDeviceBatchHandler = defineApiHandler(
  {
    access: { permission: "devices.write", scope: "devices:write" },
    schema: deviceBatchSchema,
    maxBodyBytes: BATCH_MAX_BODY_BYTES,
  },
  async ({ principal, input, request }) => {
    const { results, summary } = await registerDevices(principal, input.devices, {
      ip: request.ip,
    });

    return { status: 200, body: { summary, results } };
  },
);

/** The endpoints `npm start`'s server answers itself, beside Next (exact method and path). */
export const FAST_ROUTES = [
  { method: "POST", path: "/api/v1/devices", handler: registerDeviceHandler },
  { method: "POST", path: "/api/v1/devices/batch", handler: registerDeviceBatchHandler },
] as const;
