"use client";

import { useEffect, useMemo, useState } from "react";
import { useFormContext, useWatch } from "react-hook-form";
import { messageLocales } from "@/lib/campaigns/locale";
import type { CampaignMessage } from "@/lib/campaigns/message";
import type { PreviewIssue } from "../issue-list";
import { PreviewPanel } from "../preview-panel";
import type { ComposerValues } from "./composer-values";
import { timedPreview, type PreviewApp } from "./use-preview";

/**
 * The only part of the composer that re-renders on every keystroke: it watches the whole form,
 * recomputes the preview and draws it. The lints go up to the composer only when they change, so
 * the fields re-render only then.
 */
export function LivePreview({
  apps,
  onIssues,
}: {
  apps: { bundleId: string; name: string }[];
  onIssues: (issues: PreviewIssue[]) => void;
}) {
  const { control } = useFormContext<ComposerValues>();
  const values = useWatch({ control }) as ComposerValues;
  const choice = apps.find((a) => a.bundleId === values.app) ?? apps[0];
  const app = useMemo<PreviewApp>(
    () => ({ name: choice?.name ?? "App", bundleId: choice?.bundleId ?? values.app }),
    [choice, values.app],
  );
  const [locale, setLocale] = useState<string | null>(null);
  const locales = messageLocales(values.message as CampaignMessage);
  const shown = locale && locales.includes(locale) ? locale : null;
  const preview = useMemo(() => timedPreview(values, app, shown), [values, app, shown]);
  const issuesKey = JSON.stringify(preview.issues);

  useEffect(() => {
    onIssues(JSON.parse(issuesKey) as PreviewIssue[]);
  }, [issuesKey, onIssues]);

  return (
    <PreviewPanel
      locales={locales}
      locale={shown}
      onLocaleChange={setLocale}
      notification={preview.notification}
      threadId={preview.threadId}
      emptyText={preview.emptyText}
      request={preview.request}
      curl={preview.curl}
      issues={preview.issues}
    />
  );
}
