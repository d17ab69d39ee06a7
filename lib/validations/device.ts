import { z } from "zod";

/**
 * The public shape of a device registration, shared by the REST API (single and batch), the
 * OpenAPI document and later the dashboard's import. Every bound is a named constant so the docs,
 * the error messages and the tests agree.
 */
export const TOKEN_MIN_HEX = 64;
// Apple says not to assume 64 hex characters; 200 leaves room for longer tokens.
export const TOKEN_MAX_HEX = 200;
export const BUNDLE_ID_MAX = 155;
export const USER_ID_MAX = 256;
export const SHORT_STRING_MAX = 64;
export const TAGS_MAX = 32;
export const TAG_MAX = 64;
export const ATTRIBUTES_MAX_KEYS = 50;
export const ATTRIBUTE_KEY_MAX = 64;
export const ATTRIBUTE_STRING_MAX = 1024;
export const ATTRIBUTES_MAX_JSON_BYTES = 4096;
export const BATCH_MAX_DEVICES = 10_000;
export const SINGLE_MAX_BODY_BYTES = 16 * 1024;
// 10,000 typical registrations are ~3 MB; 8 MB leaves room for tags and attributes.
export const BATCH_MAX_BODY_BYTES = 8 * 1024 * 1024;

export const API_ENVIRONMENTS = ["sandbox", "production"] as const;
export type ApiEnvironment = (typeof API_ENVIRONMENTS)[number];
export type DbEnvironment = "SANDBOX" | "PRODUCTION";

export const toDbEnvironment = (env: ApiEnvironment): DbEnvironment =>
  env === "sandbox" ? "SANDBOX" : "PRODUCTION";
export const toApiEnvironment = (env: string): ApiEnvironment =>
  env === "SANDBOX" ? "sandbox" : "production";

const HEX = /^[0-9a-fA-F]+$/;

/**
 * C0 and C1 control characters (NUL, tab, newline, escape, DEL, …). They never belong in the text
 * columns below, and PostgreSQL refuses NUL in text outright: one such item would fail the whole
 * write instead of getting its own 422.
 */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
export const noControlCharacters = (name: string) =>
  [
    (value: string) => !CONTROL_CHARACTERS.test(value),
    `${name} must not contain control characters (such as NUL, tab or newline)`,
  ] as const;

/** Text stored in a column: trimmed, bounded, no control characters. */
export const textSchema = (name: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${name} must not be empty`)
    .max(max, `${name} must be at most ${max} characters`)
    .refine(...noControlCharacters(name));

/**
 * Row ids (Int columns: 32-bit on PostgreSQL). Ids from a URL or a cursor are checked against this
 * range before they reach SQL: past it PostgreSQL refuses the query and SQLite's Prisma client the
 * value, which would turn a bad link into a 500.
 */
export const ID_MAX = 2_147_483_647;
export const idSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, "must be a positive whole number")
  .transform(Number)
  .refine((id) => id <= ID_MAX, `must be at most ${ID_MAX}`);

/** A row id from a URL segment or query parameter, or null when it is not one. */
export function parseId(raw: string | string[] | undefined | null): number | null {
  const parsed = idSchema.safeParse(typeof raw === "string" ? raw : undefined);

  return parsed.success ? parsed.data : null;
}

export const tokenSchema = z
  .string()
  .min(TOKEN_MIN_HEX, `token must be at least ${TOKEN_MIN_HEX} hex characters`)
  .max(TOKEN_MAX_HEX, `token must be at most ${TOKEN_MAX_HEX} hex characters`)
  .regex(HEX, "token must contain only hex characters (0-9, a-f)")
  .refine(
    (t) => t.length % 2 === 0,
    "token must have an even number of hex characters (whole bytes)",
  )
  .transform((t) => t.toLowerCase());

export const bundleIdSchema = z
  .string()
  .min(1, "app is required (the app's bundle id)")
  .max(BUNDLE_ID_MAX)
  .regex(/^[A-Za-z0-9.-]+$/, "app must be a bundle id such as com.example.app");

export const environmentSchema = z.enum(API_ENVIRONMENTS, {
  error: 'environment must be "sandbox" or "production"',
});

const shortString = (name: string) => textSchema(name, SHORT_STRING_MAX);

// Flat: values are scalars or arrays of scalars, so segments can filter on them later without a
// JSON walker; the size cap keeps one device row small.
const attributeValue = z.union([
  z.string().max(ATTRIBUTE_STRING_MAX),
  z.number().finite(),
  z.boolean(),
  z.null(),
  z
    .array(z.union([z.string().max(ATTRIBUTE_STRING_MAX), z.number().finite(), z.boolean()]))
    .max(TAGS_MAX),
]);

export const attributesSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(ATTRIBUTE_KEY_MAX)
      .refine(...noControlCharacters("attribute names")),
    attributeValue,
  )
  .refine(
    (a) => Object.keys(a).length <= ATTRIBUTES_MAX_KEYS,
    `attributes may have at most ${ATTRIBUTES_MAX_KEYS} keys`,
  )
  .refine(
    (a) => Buffer.byteLength(JSON.stringify(a)) <= ATTRIBUTES_MAX_JSON_BYTES,
    `attributes must be at most ${ATTRIBUTES_MAX_JSON_BYTES} bytes as JSON`,
  );

export const tagSchema = z
  .string()
  .trim()
  .min(1, "tags must not be empty strings")
  .max(TAG_MAX, `each tag must be at most ${TAG_MAX} characters`)
  .refine(...noControlCharacters("tags"));

export const userIdSchema = textSchema("userId", USER_ID_MAX);

export const deviceRegistrationSchema = z.strictObject({
  app: bundleIdSchema,
  token: tokenSchema,
  environment: environmentSchema,
  userId: userIdSchema.optional(),
  locale: shortString("locale").optional(),
  timeZone: shortString("timeZone").optional(),
  appVersion: shortString("appVersion").optional(),
  osVersion: shortString("osVersion").optional(),
  model: shortString("model").optional(),
  tags: z
    .array(tagSchema)
    .max(TAGS_MAX, `at most ${TAGS_MAX} tags`)
    .transform((tags) => [...new Set(tags)])
    .optional(),
  attributes: attributesSchema.optional(),
});
export type DeviceRegistration = z.output<typeof deviceRegistrationSchema>;
export type DeviceRegistrationInput = z.input<typeof deviceRegistrationSchema>;

/** The batch body: items are validated one by one, so one bad item never rejects the others. */
export const deviceBatchSchema = z.strictObject({
  devices: z
    .array(z.unknown())
    .min(1, "devices must hold at least one registration")
    .max(
      BATCH_MAX_DEVICES,
      `devices may hold at most ${BATCH_MAX_DEVICES} registrations; split the batch`,
    ),
});

export const deviceLookupSchema = z.strictObject({
  token: tokenSchema,
  app: bundleIdSchema,
  environment: environmentSchema.optional(),
});

export const DEVICE_STATUSES = ["active", "invalid", "revoked"] as const;
export const PAGE_SIZE_MAX = 200;

/** Keyset cursors are "t:<id>" or "i:<id>" (lib/devices/find-devices.ts): the id must be a row id. */
export const deviceCursorSchema = z
  .string()
  .refine((c) => c.length <= 12 && /^[ti]:/.test(c) && parseId(c.slice(2)) !== null, {
    message: "cursor is not one this search returned; use nextCursor from the previous page",
  });

export const userDevicesQuerySchema = z.strictObject({
  userId: z
    .string()
    .min(1)
    .max(USER_ID_MAX)
    .refine(...noControlCharacters("userId")),
  app: bundleIdSchema.optional(),
  status: z.enum(DEVICE_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(50),
  cursor: deviceCursorSchema.optional(),
});

/** Staff search (device pages) and API listing share these filters. */
export const deviceSearchSchema = z.strictObject({
  userId: z
    .string()
    .min(1)
    .max(USER_ID_MAX)
    .refine(...noControlCharacters("userId"))
    .optional(),
  token: z
    .string()
    .regex(HEX, "token must be hex")
    .max(TOKEN_MAX_HEX)
    .transform((t) => t.toLowerCase())
    .optional(),
  tokenPrefix: z
    .string()
    .regex(HEX, "token prefix must be hex")
    .min(1)
    .max(TOKEN_MAX_HEX)
    .transform((t) => t.toLowerCase())
    .optional(),
  tag: tagSchema.optional(),
  appId: z.string().min(1).max(64).optional(),
  /** The app by bundle id (the API's way); appId is the dashboard's. */
  app: bundleIdSchema.optional(),
  environment: environmentSchema.optional(),
  status: z.enum(DEVICE_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(50),
  /** Opaque keyset cursor from the previous page's `nextCursor`. */
  cursor: deviceCursorSchema.optional(),
});
export type DeviceSearch = z.input<typeof deviceSearchSchema>;
