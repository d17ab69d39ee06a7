"use client";

import { Check, CircleAlert, Loader2 } from "lucide-react";
import type { SaveState } from "./use-autosave";

/** "Saving…", "Saved", or why it was not: announced politely to screen readers. */
export function SaveIndicator({ state }: { state: SaveState }) {
  return (
    <p
      role="status"
      className="text-muted-foreground flex items-center gap-1.5 text-xs"
      data-testid="save-state"
    >
      {state.kind === "saving" ? (
        <>
          <Loader2 className="size-3.5 animate-spin" aria-hidden /> Saving…
        </>
      ) : state.kind === "saved" ? (
        <>
          <Check className="text-success size-3.5" aria-hidden /> Saved
        </>
      ) : state.kind === "invalid" ? (
        <>
          <CircleAlert className="text-destructive size-3.5" aria-hidden /> Not saved: fix the
          highlighted fields
        </>
      ) : state.kind === "error" ? (
        <>
          <CircleAlert className="text-destructive size-3.5" aria-hidden /> Not saved:{" "}
          {state.message}
        </>
      ) : (
        "Drafts save as you type"
      )}
    </p>
  );
}
