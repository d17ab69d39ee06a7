import { z } from "zod";
import { API_ENVIRONMENTS, DEVICE_STATUSES } from "@/lib/validations/device";

/**
 * Response shapes of /api/v1, as zod schemas so the OpenAPI document is generated, not hand-kept.
 * They mirror the DTOs in lib/devices (device-dto.ts, register-devices.ts); the contract tests
 * parse real responses with them, so a drift fails a test.
 */
const nullableString = z.string().nullable();

export const deviceResponseSchema = z.object({
  id: z.number().int(),
  app: z.string().describe("bundle id"),
  appId: z.string(),
  environment: z.enum(API_ENVIRONMENTS),
  token: z.string().describe("full token, or masked for callers who may not see tokens"),
  tokenMasked: z.boolean(),
  userId: nullableString,
  locale: nullableString,
  timeZone: nullableString,
  appVersion: nullableString,
  osVersion: nullableString,
  model: nullableString,
  tags: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()).nullable(),
  status: z.enum(DEVICE_STATUSES),
  invalidReason: nullableString,
  invalidatedAt: z.iso.datetime().nullable(),
  firstSeenAt: z.iso.datetime(),
  lastRegisteredAt: z.iso.datetime(),
  reactivatedAt: z.iso.datetime().nullable(),
  reactivationCount: z.number().int(),
});

export const registrationResponseSchema = z.object({
  id: z.number().int(),
  app: z.string(),
  environment: z.enum(API_ENVIRONMENTS),
  token: z.string(),
  status: z.literal("active"),
  result: z
    .enum(["created", "refreshed", "reactivated"])
    .describe("reactivated: the token was invalid or unregistered and is active again"),
});

const fieldError = z.object({ field: z.string(), message: z.string() });

export const batchResponseSchema = z.object({
  summary: z.object({
    received: z.number().int(),
    created: z.number().int(),
    refreshed: z.number().int(),
    reactivated: z.number().int(),
    rejected: z.number().int(),
  }),
  results: z.array(
    z.object({
      index: z.number().int(),
      status: z.union([z.literal(201), z.literal(200), z.literal(422)]),
      result: z.enum(["created", "refreshed", "reactivated"]).optional(),
      token: z.string().optional(),
      deviceId: z.number().int().optional(),
      errors: z.array(fieldError).optional(),
    }),
  ),
});

export const devicePageResponseSchema = z.object({
  devices: z.array(deviceResponseSchema),
  nextCursor: z.string().nullable(),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().describe("what went wrong and how to fix it"),
  code: z.string().optional(),
  errors: z.array(fieldError).optional().describe("one entry per invalid field"),
});
