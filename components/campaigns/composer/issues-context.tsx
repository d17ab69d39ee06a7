"use client";

import { createContext, useContext } from "react";
import type { PreviewIssue } from "../issue-list";

/** The live lint results, keyed by the form field they concern, for each field to show its own. */
export const IssuesContext = createContext<ReadonlyMap<string, PreviewIssue[]>>(new Map());

export function useFieldIssues(name: string): PreviewIssue[] {
  return useContext(IssuesContext).get(name) ?? [];
}

/** Groups issues by field; a field path of the payload builder ("aps.sound") maps through `alias`. */
export function groupIssues(
  issues: readonly PreviewIssue[],
  alias: (field: string) => string = (f) => f,
): Map<string, PreviewIssue[]> {
  const map = new Map<string, PreviewIssue[]>();
  for (const issue of issues) {
    const key = alias(issue.field);
    map.set(key, [...(map.get(key) ?? []), issue]);
  }

  return map;
}
