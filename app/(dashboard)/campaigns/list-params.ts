import type { FindCampaignsInput } from "@/lib/campaigns/campaign-schema";

/** The campaigns list as it lives in the URL (?status=&app=&q=&cursor=&back=). */
export type CampaignQuery = {
  status?: string;
  app?: string;
  q?: string;
  cursor?: string;
  back?: string;
};
const FILTERS = ["status", "app", "q"] as const;
export const CAMPAIGN_PAGE_SIZE = 25;

export function readCampaignQuery(
  raw: Record<string, string | string[] | undefined>,
): CampaignQuery {
  const get = (key: string) => {
    const value = raw[key];

    return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
  };

  return {
    status: get("status"),
    app: get("app"),
    q: get("q"),
    cursor: get("cursor"),
    back: get("back"),
  };
}

export const hasCampaignFilters = (q: CampaignQuery) => FILTERS.some((k) => q[k]);

export function toFindCampaigns(q: CampaignQuery): FindCampaignsInput {
  return {
    status: q.status as FindCampaignsInput["status"],
    app: q.app,
    search: q.q,
    cursor: q.cursor,
    limit: CAMPAIGN_PAGE_SIZE,
  };
}

function href(q: CampaignQuery, page: { cursor?: string; back?: string } = {}) {
  const params = new URLSearchParams();
  for (const key of FILTERS) if (q[key]) params.set(key, q[key]!);
  if (page.cursor) params.set("cursor", page.cursor);
  if (page.back) params.set("back", page.back);
  const text = params.toString();

  return text ? `/campaigns?${text}` : "/campaigns";
}

// The devices list's keyset links (devices/search-params.ts): "Previous" needs the cursors of the
// pages before, carried in ?back= as a "~"-separated stack ("." for the first page), capped.
const BACK_MAX = 20;

export function campaignPageLinks(q: CampaignQuery, nextCursor: string | null) {
  const stack = q.back ? q.back.split("~") : [];
  const previousCursor = stack.at(-1);

  return {
    next: nextCursor
      ? href(q, {
          cursor: nextCursor,
          back: [...stack, q.cursor ?? "."].slice(-BACK_MAX).join("~"),
        })
      : null,
    previous: q.cursor
      ? href(q, {
          cursor: previousCursor && previousCursor !== "." ? previousCursor : undefined,
          back: stack.slice(0, -1).join("~") || undefined,
        })
      : null,
    first: q.cursor ? href(q) : null,
  };
}
