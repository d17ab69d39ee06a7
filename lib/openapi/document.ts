import { z } from "zod";
import { API_SCOPES } from "@/lib/auth/permissions";
import * as v from "@/lib/validations/device";
import { campaignPaths, campaignSchemas } from "./campaigns";
import * as r from "./response-schemas";

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes validate with
 * (z.toJSONSchema emits JSON Schema 2020-12, the dialect of OpenAPI 3.1). Served at
 * /api/v1/openapi.json; the dashboard's API reference page renders the same object.
 */
function schema(s: z.ZodType, io: "input" | "output" = "input"): Record<string, unknown> {
  const { $schema: _, ...json } = z.toJSONSchema(s, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
  }) as Record<string, unknown>;

  return json;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ "application/json": { schema: ref(name) } });
const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ref("Problem") } },
});
const errors = {
  401: problem("Missing, malformed, unknown or revoked API key"),
  403: problem("The key lacks the scope this operation needs"),
  422: problem("Invalid input; `errors` lists each field and what to fix"),
};
const bodyErrors = {
  ...errors,
  400: problem("Body is not valid JSON"),
  413: problem("Body too large"),
  415: problem("Body is not application/json"),
};
const appQuery = {
  name: "app",
  in: "query",
  required: true,
  description: "bundle id of the app",
  schema: schema(v.bundleIdSchema),
};
const envQuery = {
  name: "environment",
  in: "query",
  required: false,
  schema: schema(v.environmentSchema),
};
const tokenPath = {
  name: "token",
  in: "path",
  required: true,
  description: `device token, hex, ${v.TOKEN_MIN_HEX}–${v.TOKEN_MAX_HEX} characters`,
  schema: schema(v.tokenSchema),
};

export type OpenApiDocument = Record<string, unknown> & {
  openapi: "3.1.0";
  paths: Record<string, unknown>;
};

export function buildOpenApiDocument(serverUrl = "/"): OpenApiDocument {
  const helpers = { schema, ref, json, problem, errors, bodyErrors };

  return {
    openapi: "3.1.0",
    info: {
      title: "Pushdeck API",
      version: "1",
      description:
        "Register device tokens, read the registry, and compose campaigns. Authenticate with `Authorization: Bearer <API key>` (Admin → API keys, or `npm run pushdeck -- apikey create`). Errors are `application/problem+json` with field-level `errors`.",
    },
    servers: [{ url: serverUrl }],
    security: [{ apiKey: [] }],
    paths: {
      "/api/v1/devices": {
        post: {
          operationId: "registerDevice",
          summary: "Register or refresh a device token",
          description:
            "Idempotent upsert on (app, environment, token). Scalar fields describe the device now (omitted → cleared); `tags` and `attributes` are replaced when sent and kept when omitted. Re-registering an invalid or unregistered token makes it active again. Scope `devices:write`.",
          requestBody: { required: true, content: json("DeviceRegistration") },
          responses: {
            201: { description: "Created", content: json("RegistrationResponse") },
            200: { description: "Refreshed or reactivated", content: json("RegistrationResponse") },
            ...bodyErrors,
          },
        },
      },
      "/api/v1/devices/batch": {
        post: {
          operationId: "registerDevices",
          summary: `Register up to ${v.BATCH_MAX_DEVICES} devices`,
          description:
            "Items are validated one by one; bad items get a 422 result with field errors, good ones are written in one transaction. Scope `devices:write`.",
          requestBody: { required: true, content: json("DeviceBatchRequest") },
          responses: {
            200: { description: "Per-item results and a summary", content: json("BatchResponse") },
            ...bodyErrors,
          },
        },
      },
      "/api/v1/devices/{token}": {
        parameters: [tokenPath, appQuery, envQuery],
        get: {
          operationId: "getDevice",
          summary: "A device by token (scope devices:read)",
          responses: {
            200: { description: "The device", content: json("Device") },
            404: problem("No such device"),
            ...errors,
          },
        },
        delete: {
          operationId: "unregisterDevice",
          summary: "Unregister a device (kept for history; scope devices:write)",
          responses: {
            204: { description: "Unregistered" },
            404: problem("No such device"),
            ...errors,
          },
        },
      },
      "/api/v1/users/{userId}/devices": {
        get: {
          operationId: "listUserDevices",
          summary: "A user's devices, newest first (scope devices:read)",
          parameters: [
            {
              name: "userId",
              in: "path",
              required: true,
              schema: { type: "string", maxLength: v.USER_ID_MAX },
            },
            { ...appQuery, required: false },
            {
              name: "status",
              in: "query",
              required: false,
              schema: { type: "string", enum: [...v.DEVICE_STATUSES] },
            },
            {
              name: "limit",
              in: "query",
              required: false,
              schema: { type: "integer", minimum: 1, maximum: v.PAGE_SIZE_MAX, default: 50 },
            },
            {
              name: "cursor",
              in: "query",
              required: false,
              description: "nextCursor of the previous page",
              schema: { type: "string" },
            },
          ],
          responses: {
            200: { description: "A page of devices", content: json("DevicePage") },
            ...errors,
          },
        },
      },
      ...campaignPaths(helpers),
    },
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: `API key; scopes: ${API_SCOPES.join(", ")}`,
        },
      },
      schemas: {
        DeviceRegistration: schema(v.deviceRegistrationSchema),
        DeviceBatchRequest: {
          ...schema(v.deviceBatchSchema),
          properties: {
            devices: {
              type: "array",
              minItems: 1,
              maxItems: v.BATCH_MAX_DEVICES,
              items: ref("DeviceRegistration"),
            },
          },
        },
        RegistrationResponse: schema(r.registrationResponseSchema, "output"),
        BatchResponse: schema(r.batchResponseSchema, "output"),
        Device: schema(r.deviceResponseSchema, "output"),
        DevicePage: schema(r.devicePageResponseSchema, "output"),
        Problem: schema(r.problemSchema, "output"),
        ...campaignSchemas(helpers),
      },
    },
  };
}
