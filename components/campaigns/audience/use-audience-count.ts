"use client";

import { useEffect, useRef, useState } from "react";
import { audienceSchema, type AudienceInput } from "@/lib/campaigns/audience-schema";

type CountResult = { ok: true; data: { count: number } } | { ok: false; error: string };
export type CountAction = (input: {
  app: string;
  environment: "production" | "sandbox";
  audience: AudienceInput;
}) => Promise<CountResult>;

export const COUNT_DEBOUNCE_MS = 350;

/**
 * The live count, asked for a moment after the audience stops changing; an answer that arrives
 * after a newer question was asked is dropped. An incomplete segment is not sent: it says why.
 */
export function useAudienceCount(
  count: CountAction,
  app: string,
  environment: "production" | "sandbox",
  audience: AudienceInput,
) {
  const [state, setState] = useState<{ count: number | null; error: string | null }>({
    count: null,
    error: null,
  });
  const [pending, setPending] = useState(false);
  const asked = useRef(0);
  const key = JSON.stringify([app, environment, audience]);
  const parsed = audienceSchema.safeParse(audience);
  const invalid = parsed.success ? null : (parsed.error.issues[0]?.message ?? "incomplete segment");

  useEffect(() => {
    const [appNow, envNow, audienceNow] = JSON.parse(key) as [
      string,
      typeof environment,
      AudienceInput,
    ];
    const question = ++asked.current;
    if (!audienceSchema.safeParse(audienceNow).success) return;
    const timer = setTimeout(async () => {
      setPending(true);
      const result = await count({ app: appNow, environment: envNow, audience: audienceNow }).catch(
        () => ({ ok: false as const, error: "The count could not be fetched" }),
      );
      if (question !== asked.current) return;
      setPending(false);
      setState(
        result.ok
          ? { count: result.data.count, error: null }
          : { count: null, error: result.error },
      );
    }, COUNT_DEBOUNCE_MS);

    return () => clearTimeout(timer);
  }, [count, key]);

  return invalid
    ? { count: null, error: `Not counted: ${invalid}`, pending: false }
    : { ...state, pending };
}
