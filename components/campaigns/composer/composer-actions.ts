import type { ComposerValues } from "./composer-values";

type Result<T> =
  | { ok: true; data: T }
  | { ok: false; error: string; code?: string; fieldErrors?: Record<string, string[]> };

/** The server actions the composer calls, handed in by the page (components import no actions). */
export type ComposerActions = {
  create: (values: ComposerValues) => Promise<Result<{ id: string; audienceCount: number | null }>>;
  update: (
    values: ComposerValues & { id: string },
  ) => Promise<Result<{ id: string; audienceCount: number | null }>>;
};
