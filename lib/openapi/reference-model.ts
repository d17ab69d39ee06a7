import type { OpenApiDocument } from "./document";

/**
 * Reads the OpenAPI document into what the dashboard's API reference page renders: one entry per
 * operation with path-level parameters merged in and $refs resolved, schema summaries, and request
 * examples for the curl snippets. Pure, so the page shows exactly what /api/v1/openapi.json says.
 */
export type JsonSchema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
};
export type Parameter = {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
};
export type Operation = {
  id: string;
  method: string;
  path: string;
  summary: string;
  description?: string;
  parameters: Parameter[];
  requestSchema?: { name?: string; schema: JsonSchema };
  responses: {
    status: string;
    description: string;
    contentType?: string;
    schemaName?: string;
    schema?: JsonSchema;
  }[];
};

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
const refName = (ref?: string) => ref?.split("/").pop();

export function resolve(
  doc: OpenApiDocument,
  schema: JsonSchema | undefined,
): JsonSchema | undefined {
  const name = refName(schema?.$ref);
  const schemas =
    (doc.components as { schemas?: Record<string, JsonSchema> } | undefined)?.schemas ?? {};

  return name ? schemas[name] : schema;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths) as [string, Record<string, unknown>][]) {
    const shared = (item.parameters as Parameter[] | undefined) ?? [];
    for (const method of METHODS) {
      const op = item[method] as Record<string, unknown> | undefined;
      if (!op) continue;
      const body = (
        op.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined
      )?.content?.["application/json"]?.schema;
      const responses = Object.entries(
        (op.responses as Record<
          string,
          { description: string; content?: Record<string, { schema: JsonSchema }> }
        >) ?? {},
      ).map(([status, r]) => {
        const [contentType, media] = Object.entries(r.content ?? {})[0] ?? [];

        return {
          status,
          description: r.description,
          contentType,
          schemaName: refName(media?.schema.$ref),
          schema: resolve(doc, media?.schema),
        };
      });
      out.push({
        id: String(op.operationId ?? `${method}-${path}`),
        method: method.toUpperCase(),
        path,
        summary: String(op.summary ?? ""),
        description: op.description as string | undefined,
        parameters: [...shared, ...((op.parameters as Parameter[] | undefined) ?? [])],
        requestSchema: body ? { name: refName(body.$ref), schema: resolve(doc, body)! } : undefined,
        responses: responses.sort((a, b) => a.status.localeCompare(b.status)),
      });
    }
  }

  return out;
}

/** "string (64–200 chars, hex)", "array of string", "sandbox | production": one line per field. */
export function describeType(s: JsonSchema | undefined): string {
  if (!s) return "any";
  if (s.$ref) return refName(s.$ref)!;
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.anyOf) return s.anyOf.map(describeType).join(" | ");
  if (s.type === "array") return `array of ${describeType(s.items)}`;
  // zod emits ±MAX_SAFE_INTEGER as the bounds of every int: noise, not a documented limit.
  const bound = (n: unknown) => typeof n === "number" && Math.abs(n) < Number.MAX_SAFE_INTEGER;
  const limits = [
    s.minLength !== undefined && `min ${s.minLength}`,
    s.maxLength !== undefined && `max ${s.maxLength}`,
    bound(s.minimum) && `≥ ${s.minimum}`,
    bound(s.maximum) && `≤ ${s.maximum}`,
  ].filter(Boolean);

  return `${Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? "any")}${limits.length ? ` (${limits.join(", ")})` : ""}`;
}

const SAMPLES: Record<string, unknown> = {
  app: "com.pushdeck.demo",
  token: "a".repeat(64),
  environment: "production",
  userId: "user-0001",
  locale: "en-US",
  timeZone: "Europe/Paris",
  appVersion: "3.4.1",
  osVersion: "26.0",
  model: "iPhone17,3",
  tags: ["beta"],
};

/** A small valid request body for the curl example. */
export function exampleFor(
  doc: OpenApiDocument,
  schema: JsonSchema | undefined,
  depth = 0,
): unknown {
  const s = resolve(doc, schema);
  if (!s || depth > 3) return null;
  if (s.type === "array") return [exampleFor(doc, s.items, depth + 1)];
  if (s.type !== "object" || !s.properties)
    return (
      s.enum?.[0] ??
      (s.type === "integer" || s.type === "number" ? 1 : s.type === "boolean" ? true : "string")
    );
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(s.properties)) {
    if (key in SAMPLES) out[key] = SAMPLES[key];
    else if (s.required?.includes(key)) out[key] = exampleFor(doc, prop, depth + 1);
  }

  return out;
}
