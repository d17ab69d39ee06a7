import type { Audience } from "@/lib/campaigns/audience-schema";

const list = (values: readonly string[], max = 8) =>
  values.length > max
    ? `${values.slice(0, max).join(", ")} and ${values.length - max} more`
    : values.join(", ");

/** A saved audience in words, for a campaign that can no longer be edited. */
export function AudienceSummary({ audience }: { audience: Audience }) {
  if ("all" in audience && audience.all)
    return <p className="text-sm">Every active device of the app.</p>;
  const s = audience as Exclude<Audience, { all: true }>;
  const rows: [string, string][] = [];
  if (s.tags?.any?.length) rows.push(["Any of the tags", list(s.tags.any)]);
  if (s.tags?.all?.length) rows.push(["All of the tags", list(s.tags.all)]);
  if (s.tags?.none?.length) rows.push(["None of the tags", list(s.tags.none)]);
  if (s.locales?.length) rows.push(["Locales", list(s.locales)]);
  if (s.appVersions?.length) rows.push(["App versions", list(s.appVersions)]);
  if (s.osVersions?.length) rows.push(["iOS versions", list(s.osVersions)]);
  if (s.timeZones?.length) rows.push(["Time zones", list(s.timeZones)]);
  if (s.registeredWithinDays) rows.push(["Registered within", `${s.registeredWithinDays} days`]);
  if (s.userIds?.length)
    rows.push(["User ids", `${s.userIds.length.toLocaleString("en-US")} listed`]);
  if (s.tokens?.length) rows.push(["Tokens", `${s.tokens.length.toLocaleString("en-US")} listed`]);

  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-muted-foreground">{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
