import { APP_ERROR_STATUS, type AppErrorCode, type FieldErrors } from "@/lib/errors";

/** RFC 9457 problem details: every API error is `application/problem+json` with a precise message. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
};

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable content",
  429: "Too many requests",
  500: "Internal server error",
  502: "Bad gateway",
};

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** A problem document as JSON text, for code that writes responses itself (lib/http). */
export function problemJson(
  status: number,
  detail: string,
  extra: Partial<Problem> & { code?: string } = {},
): string {
  const { code, ...rest } = extra;
  const body: Problem = {
    type: `urn:pushdeck:problem:${(code ?? TITLES[status] ?? "error").toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    ...rest,
  };

  return JSON.stringify(body);
}

export function problemResponse(
  status: number,
  detail: string,
  extra: Partial<Problem> & { code?: string } = {},
): Response {
  return new Response(problemJson(status, detail, extra), {
    status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE },
  });
}

export function fieldErrorList(fieldErrors: FieldErrors | undefined) {
  if (!fieldErrors) return undefined;

  return Object.entries(fieldErrors).flatMap(([field, messages]) =>
    messages.map((message) => ({ field, message })),
  );
}

export function appErrorResponse(
  code: AppErrorCode,
  message: string,
  fieldErrors?: FieldErrors,
): Response {
  return problemResponse(APP_ERROR_STATUS[code], message, {
    code,
    errors: fieldErrorList(fieldErrors),
  });
}
