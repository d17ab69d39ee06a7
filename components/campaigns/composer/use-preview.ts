import { lintMessage } from "@/lib/campaigns/message-lint";
import { previewModel } from "@/lib/campaigns/message-preview";
import type { CampaignMessage } from "@/lib/campaigns/message";
import type { PreviewIssue } from "../issue-list";
import type { NotificationContent } from "../notification-card";
import type { ComposerValues } from "./composer-values";

export type PreviewApp = { name: string; bundleId: string; iconSrc?: string | null };

/** Lint paths are the message's ("sound.volume"); the form's fields sit under "message.". */
export function formFieldOf(path: string): string {
  if (path === "app" || path === "payload") return path;
  if (path.startsWith("sound.")) return "message.sound";

  return `message.${path}`;
}

/**
 * Everything the preview shows, recomputed in the browser on every change of the form: the
 * previewed locale's notification and exact request (headers, body bytes, limit, curl) from
 * previewModel, and every lint, both from the builder the dispatcher sends with. No server round trip.
 */
export function computePreview(values: ComposerValues, app: PreviewApp, locale: string | null) {
  const message = values.message as CampaignMessage;
  const model = previewModel(message, {
    appName: app.name,
    bundleId: app.bundleId,
    locale,
    environment: values.environment,
  });
  const lint = lintMessage(message, { bundleId: app.bundleId });
  const issues: PreviewIssue[] = [
    ...lint.errors.map((i) => ({
      severity: "error" as const,
      field: formFieldOf(i.path),
      message: i.message,
    })),
    ...lint.warnings.map((i) => ({
      severity: "warning" as const,
      field: formFieldOf(i.path),
      message: i.message,
    })),
  ];
  const n = model.notification;
  const notification: NotificationContent | null = n
    ? {
        appName: n.appName,
        iconSrc: app.iconSrc ?? undefined,
        title: n.title || undefined,
        subtitle: n.subtitle || undefined,
        body: n.body || undefined,
        interruptionLevel: n.interruptionLevel ?? undefined,
      }
    : null;

  return {
    model,
    request: model.request,
    curl: model.curl,
    issues,
    hasErrors: lint.errors.length > 0,
    notification,
    threadId: n?.threadId ?? undefined,
    emptyText: model.silentReason ?? "Nothing is shown for this push.",
  };
}
export type Preview = ReturnType<typeof computePreview>;

/** The User Timing entry of the last preview computation. */
export const PREVIEW_MEASURE = "campaign-preview";

/**
 * computePreview, timed: the cost per keystroke is readable in the browser as a User Timing entry
 * (e2e/campaigns.spec.ts measures it); only the latest entry is kept.
 */
export function timedPreview(values: ComposerValues, app: PreviewApp, locale: string | null) {
  const start = performance.now();
  const preview = computePreview(values, app, locale);
  performance.clearMeasures(PREVIEW_MEASURE);
  performance.measure(PREVIEW_MEASURE, { start });

  return preview;
}
