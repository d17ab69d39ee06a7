"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useCallback, useMemo, useState } from "react";
import { FormProvider, useForm, useWatch, type Resolver } from "react-hook-form";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { createCampaignSchema } from "@/lib/campaigns/campaign-schema";
import { messageLocales } from "@/lib/campaigns/locale";
import type { CampaignMessage } from "@/lib/campaigns/message";
import { PreviewPanel } from "../preview-panel";
import type { ComposerActions } from "./composer-actions";
import type { ComposerValues } from "./composer-values";
import { DeliveryFields } from "./delivery-fields";
import { Field } from "./field";
import { groupIssues, IssuesContext } from "./issues-context";
import { MessageSection } from "./message-section";
import { SaveIndicator } from "./save-indicator";
import { Section } from "./section";
import { useAutosave } from "./use-autosave";
import { computePreview, timedPreview, type PreviewApp } from "./use-preview";

export type ComposerApp = { bundleId: string; name: string };

export type ComposerProps = {
  campaignId: string | null;
  initial: ComposerValues;
  apps: ComposerApp[];
  actions: ComposerActions;
  /** Rendered under the message: audience, test devices, schedule (they need the saved draft). */
  renderSteps?: (ctx: ComposerContext) => React.ReactNode;
  headerActions?: (ctx: ComposerContext) => React.ReactNode;
  /** A campaign past draft: shown, not edited (no autosave). */
  readOnly?: boolean;
};

export type ComposerContext = {
  id: string | null;
  hasErrors: boolean;
  /** Saves now; the draft's id, or null when it cannot be saved yet. */
  flush: () => Promise<string | null>;
  preview: ReturnType<typeof computePreview>;
  values: ComposerValues;
  app: PreviewApp;
};

/**
 * The campaign composer: a react-hook-form over the server's own schema (createCampaignSchema),
 * the live preview computed in the browser from the same builder the dispatcher uses, and autosave.
 */
export function CampaignComposer({
  campaignId,
  initial,
  apps,
  actions,
  renderSteps,
  headerActions,
  readOnly = false,
}: ComposerProps) {
  const form = useForm<ComposerValues>({
    resolver: zodResolver(createCampaignSchema) as unknown as Resolver<ComposerValues>,
    defaultValues: initial,
    mode: "onChange",
  });
  const [jsonErrors, setJsonErrors] = useState<Record<string, string>>({});
  const onJsonValidity = useCallback((field: string, error: string | null) => {
    setJsonErrors((prev) => {
      if ((prev[field] ?? null) === error) return prev;
      const next = { ...prev };
      if (error) next[field] = error;
      else delete next[field];

      return next;
    });
  }, []);
  const { id, state, flush } = useAutosave({
    form,
    initialId: campaignId,
    enabled: !readOnly,
    blocked: Object.keys(jsonErrors).length > 0,
    create: actions.create,
    update: actions.update,
  });

  const values = useWatch({ control: form.control }) as ComposerValues;
  const appChoice = apps.find((a) => a.bundleId === values.app) ?? apps[0];
  const app = useMemo<PreviewApp>(
    () => ({ name: appChoice?.name ?? "App", bundleId: appChoice?.bundleId ?? values.app }),
    [appChoice, values.app],
  );
  const [locale, setLocale] = useState<string | null>(null);
  const locales = messageLocales(values.message as CampaignMessage);
  const shownLocale = locale && locales.includes(locale) ? locale : null;
  const preview = useMemo(() => timedPreview(values, app, shownLocale), [values, app, shownLocale]);
  const issues = useMemo(() => groupIssues(preview.issues), [preview.issues]);
  const hasErrors = preview.hasErrors || Object.keys(jsonErrors).length > 0;
  const ctx: ComposerContext = { id, hasErrors, flush, preview, values, app };

  return (
    <FormProvider {...form}>
      <IssuesContext.Provider value={issues}>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void flush();
          }}
          aria-label="Campaign"
          className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_380px]"
        >
          <div className="flex min-w-0 flex-col gap-6">
            {headerActions ? (
              <div className="flex flex-wrap items-center gap-2">{headerActions(ctx)}</div>
            ) : null}
            <fieldset disabled={readOnly} className="contents">
              <Section
                id="basics"
                title="Campaign"
                actions={readOnly ? null : <SaveIndicator state={state} />}
              >
                <div className="grid gap-4 sm:grid-cols-2">
                  <Field name="name" label="Name">
                    {(a11y) => <Input {...a11y} {...form.register("name")} autoComplete="off" />}
                  </Field>
                  <Field name="app" label="App">
                    {(a11y) => (
                      <Select {...a11y} {...form.register("app")}>
                        {apps.map((a) => (
                          <option key={a.bundleId} value={a.bundleId}>
                            {a.name} ({a.bundleId})
                          </option>
                        ))}
                      </Select>
                    )}
                  </Field>
                </div>
              </Section>
              <MessageSection onJsonValidity={onJsonValidity} />
              <Section
                id="delivery"
                title="Delivery options"
                description="How APNs should deliver it."
              >
                <DeliveryFields pushType={values.message.pushType} />
              </Section>
            </fieldset>
            {renderSteps?.(ctx)}
          </div>
          <div className="lg:sticky lg:top-20 lg:max-h-[calc(100dvh-6rem)] lg:overflow-y-auto lg:pr-1">
            <PreviewPanel
              locales={locales}
              locale={shownLocale}
              onLocaleChange={setLocale}
              notification={preview.notification}
              threadId={preview.threadId}
              emptyText={preview.emptyText}
              request={preview.request}
              curl={preview.curl}
              issues={preview.issues}
            />
          </div>
        </form>
      </IssuesContext.Provider>
    </FormProvider>
  );
}
