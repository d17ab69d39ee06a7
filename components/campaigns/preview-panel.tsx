"use client";

import { useTheme } from "next-themes";
import { useState, useSyncExternalStore } from "react";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { BannerPreview } from "./banner-preview";
import { ByteMeter } from "./byte-meter";
import { IssueList, type PreviewIssue } from "./issue-list";
import { LockScreenPreview } from "./lock-screen-preview";
import type { Appearance, NotificationContent } from "./notification-card";
import { RequestView } from "./request-view";
import { Segmented } from "./segmented";
import type { ApnsHeaders } from "@/lib/apns/browser";

const noSubscription = () => () => {};

export type PreviewPanelProps = {
  locales: string[];
  locale: string | null;
  onLocaleChange: (locale: string | null) => void;
  notification: NotificationContent | null;
  threadId?: string;
  emptyText: string;
  request: { body: string; headers: ApnsHeaders; size: number; limit: number };
  curl: string;
  issues: readonly PreviewIssue[];
};

/**
 * The live preview: the phone (lock screen or banner, light or dark, per locale), the byte meter,
 * every lint in words, and the exact request. Pure display: the composer computes it.
 */
export function PreviewPanel(props: PreviewPanelProps) {
  const { resolvedTheme } = useTheme();
  // The theme is known only after hydration: render "light" until then, like the server did
  // (React keeps the server's attributes on a hydration mismatch).
  const mounted = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const [chosen, setChosen] = useState<Appearance | null>(null);
  const appearance: Appearance = chosen ?? (mounted && resolvedTheme === "dark" ? "dark" : "light");
  const [surface, setSurface] = useState<"lock" | "banner">("lock");
  const errors = props.issues.filter((i) => i.severity === "error").length;
  const warnings = props.issues.length - errors;

  return (
    <section
      aria-labelledby="preview-heading"
      className="flex flex-col gap-4"
      data-testid="preview"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="preview-heading" className="text-base font-semibold">
          Preview
        </h2>
        <div className="flex flex-wrap items-center gap-2">
          <Segmented
            label="Where"
            value={surface}
            options={[
              { value: "lock", label: "Lock screen" },
              { value: "banner", label: "Banner" },
            ]}
            onChange={setSurface}
          />
          <Segmented
            label="Appearance"
            value={appearance}
            options={[
              { value: "light", label: "Light" },
              { value: "dark", label: "Dark" },
            ]}
            onChange={setChosen}
          />
        </div>
      </div>
      {props.locales.length ? (
        <div className="flex items-center gap-2">
          <Label htmlFor="preview-locale" className="text-xs">
            Device language
          </Label>
          <Select
            id="preview-locale"
            className="h-8 w-40"
            value={props.locale ?? ""}
            onChange={(e) => props.onLocaleChange(e.target.value || null)}
          >
            <option value="">Default text</option>
            {props.locales.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </Select>
        </div>
      ) : null}
      {surface === "lock" ? (
        <LockScreenPreview
          notification={props.notification}
          appearance={appearance}
          threadId={props.threadId}
          emptyText={props.emptyText}
        />
      ) : (
        <BannerPreview
          notification={props.notification}
          appearance={appearance}
          emptyText={props.emptyText}
        />
      )}
      {props.threadId && surface === "lock" ? (
        <p className="text-muted-foreground -mt-2 text-center text-xs">
          Stacked with earlier notifications of thread “{props.threadId}”.
        </p>
      ) : null}
      <ByteMeter size={props.request.size} limit={props.request.limit} />
      <div className="flex flex-col gap-1.5" data-testid="lint-summary">
        <p className="text-xs font-medium" aria-live="polite">
          {errors || warnings
            ? `${errors} ${errors === 1 ? "error" : "errors"}, ${warnings} ${warnings === 1 ? "warning" : "warnings"}`
            : "No errors or warnings"}
        </p>
        <IssueList issues={props.issues} />
      </div>
      <RequestView body={props.request.body} headers={props.request.headers} curl={props.curl} />
    </section>
  );
}
