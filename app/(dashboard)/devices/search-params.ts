import { TOKEN_MIN_HEX, type DeviceSearch } from "@/lib/validations/device";

/** The devices search as it lives in the URL (?user=&token=&tag=&app=&environment=&status=&cursor=). */
export type DeviceQuery = {
  user?: string;
  token?: string;
  tag?: string;
  app?: string;
  environment?: string;
  status?: string;
  cursor?: string;
  back?: string;
};
export const QUERY_KEYS = ["user", "token", "tag", "app", "environment", "status"] as const;
export const PAGE_SIZE = 50;

type RawParams = Record<string, string | string[] | undefined>;

export function readQuery(raw: RawParams | URLSearchParams): DeviceQuery {
  const get = (key: string) => {
    const value = raw instanceof URLSearchParams ? raw.get(key) : raw[key];
    const first = Array.isArray(value) ? value[0] : value;

    return first?.trim() || undefined;
  };

  return {
    user: get("user"),
    token: get("token"),
    tag: get("tag"),
    app: get("app"),
    environment: get("environment"),
    status: get("status"),
    cursor: get("cursor"),
    back: get("back"),
  };
}

export function hasFilters(q: DeviceQuery): boolean {
  return QUERY_KEYS.some((k) => q[k]);
}

/**
 * URL → findDevices input. A token of full length is matched exactly; anything shorter is a
 * prefix (support often has only the start of a token from a crash log).
 */
export function toDeviceSearch(q: DeviceQuery, limit = PAGE_SIZE): DeviceSearch {
  const token = q.token?.replace(/[\s<>]/g, "").toLowerCase();

  return {
    userId: q.user,
    ...(token ? (token.length >= TOKEN_MIN_HEX ? { token } : { tokenPrefix: token }) : {}),
    tag: q.tag,
    app: q.app,
    environment: q.environment as DeviceSearch["environment"],
    status: q.status as DeviceSearch["status"],
    cursor: q.cursor,
    limit,
  };
}

/** Builds a /devices URL from filters and an optional page position. */
export function devicesHref(
  q: DeviceQuery,
  page: { cursor?: string; back?: string } = {},
  base = "/devices",
): string {
  const params = new URLSearchParams();
  for (const key of QUERY_KEYS) if (q[key]) params.set(key, q[key]!);
  if (page.cursor) params.set("cursor", page.cursor);
  if (page.back) params.set("back", page.back);
  const text = params.toString();

  return text ? `${base}?${text}` : base;
}

// "Previous" needs the cursors of the pages before: they ride along in ?back= (a "~"-separated
// stack, "." for the first page), capped so the URL stays short; past the cap, "First page" remains.
const BACK_MAX = 20;

export function pageLinks(q: DeviceQuery, nextCursor: string | null) {
  const stack = q.back ? q.back.split("~") : [];
  const next = nextCursor
    ? devicesHref(q, {
        cursor: nextCursor,
        back: [...stack, q.cursor ?? "."].slice(-BACK_MAX).join("~"),
      })
    : null;
  const previousCursor = stack.at(-1);
  const previous = q.cursor
    ? devicesHref(q, {
        cursor: previousCursor && previousCursor !== "." ? previousCursor : undefined,
        back: stack.slice(0, -1).join("~") || undefined,
      })
    : null;

  return { next, previous, first: q.cursor ? devicesHref(q) : null };
}
