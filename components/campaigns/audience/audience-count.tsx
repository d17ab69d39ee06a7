"use client";

import { Loader2, Users } from "lucide-react";

/** The live count of matching active devices (or why there is none). */
export function AudienceCount({
  count,
  pending,
  error,
}: {
  count: number | null;
  pending: boolean;
  error: string | null;
}) {
  return (
    <div
      className="bg-muted/60 flex items-center gap-3 rounded-lg border px-4 py-3"
      data-testid="audience-count"
      data-count={count ?? undefined}
    >
      <Users className="text-muted-foreground size-5" aria-hidden />
      <p role="status" aria-live="polite" className="text-sm">
        {error ? (
          <span className="text-destructive">{error}</span>
        ) : count === null ? (
          "Counting…"
        ) : (
          <>
            <span className="text-lg font-semibold tabular-nums">
              {count.toLocaleString("en-US")}
            </span>{" "}
            active {count === 1 ? "device matches" : "devices match"}
          </>
        )}
      </p>
      {pending ? (
        <Loader2
          className="text-muted-foreground ml-auto size-4 animate-spin"
          aria-label="Updating the count"
        />
      ) : null}
    </div>
  );
}
