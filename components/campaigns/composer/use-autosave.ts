"use client";

import { useEffect, useRef, useState } from "react";
import type { UseFormReturn } from "react-hook-form";
import { createCampaignSchema } from "@/lib/campaigns/campaign-schema";
import type { ComposerValues } from "./composer-values";

export type SaveState =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; at: Date }
  | { kind: "invalid" }
  | { kind: "error"; message: string };

type Result<T> =
  { ok: true; data: T } | { ok: false; error: string; fieldErrors?: Record<string, string[]> };
type Saved = { id: string; audienceCount: number | null };

export const AUTOSAVE_DELAY_MS = 800;
/** The name of a draft saved before its author named it. */
export const UNTITLED = "Untitled campaign";

/**
 * Saves the draft a moment after each change: the first save creates it (and the address becomes
 * /campaigns/<id> without a navigation), later ones update it. One save at a time; a change made
 * while one is in flight is saved after it. Nothing is sent while the form does not parse with the
 * server's schema or a JSON editor holds invalid text.
 */
export function useAutosave({
  form,
  initialId,
  enabled,
  blocked,
  create,
  update,
  onSaved,
}: {
  form: UseFormReturn<ComposerValues>;
  initialId: string | null;
  enabled: boolean;
  /** A JSON editor's text does not parse: the form holds its last valid object, not what is shown. */
  blocked: boolean;
  create: (values: ComposerValues) => Promise<Result<Saved>>;
  update: (values: ComposerValues & { id: string }) => Promise<Result<Saved>>;
  onSaved?: (saved: Saved) => void;
}) {
  const [id, setId] = useState(initialId);
  const [state, setState] = useState<SaveState>({ kind: "idle" });
  const idRef = useRef(initialId);
  const inFlight = useRef(false);
  const again = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const blockedRef = useRef(blocked);
  useEffect(() => {
    blockedRef.current = blocked;
  }, [blocked]);

  async function save(): Promise<string | null> {
    if (inFlight.current) {
      again.current = true;

      return idRef.current;
    }
    const typed = form.getValues();
    const values = { ...typed, name: typed.name.trim() ? typed.name : UNTITLED };
    if (blockedRef.current || !createCampaignSchema.safeParse(values).success) {
      setState({ kind: "invalid" });
      void form.trigger();

      return null;
    }
    inFlight.current = true;
    setState({ kind: "saving" });
    try {
      const result = idRef.current
        ? await update({ ...values, id: idRef.current })
        : await create(values);
      if (!result.ok) {
        setState({ kind: "error", message: result.error });

        return null;
      }
      if (!idRef.current) {
        idRef.current = result.data.id;
        setId(result.data.id);
        window.history.replaceState(null, "", `/campaigns/${result.data.id}`);
      }
      setState({ kind: "saved", at: new Date() });
      onSaved?.(result.data);

      return result.data.id;
    } catch {
      setState({ kind: "error", message: "The server could not be reached" });

      return null;
    } finally {
      inFlight.current = false;
      if (again.current) {
        again.current = false;
        void latest.current();
      }
    }
  }
  // The subscription below outlives renders; it calls the save of the latest render.
  const latest = useRef(save);
  useEffect(() => {
    latest.current = save;
  });

  useEffect(() => {
    if (!enabled) return;
    const subscription = form.watch(() => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void latest.current(), AUTOSAVE_DELAY_MS);
    });

    return () => {
      subscription.unsubscribe();
      if (timer.current) clearTimeout(timer.current);
    };
  }, [enabled, form]);

  /** Saves now (before scheduling, a test send or leaving); resolves to the draft's id. */
  const flush = () => {
    if (timer.current) clearTimeout(timer.current);

    return latest.current();
  };

  return { id, state, flush };
}
