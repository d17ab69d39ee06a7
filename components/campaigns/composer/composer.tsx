"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useCallback, useMemo, useState, useSyncExternalStore } from "react";
import { FormProvider, useForm, useWatch, type Resolver } from "react-hook-form";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { createCampaignSchema } from "@/lib/campaigns/campaign-schema";
import type { PreviewIssue } from "../issue-list";
import type { ComposerActions } from "./composer-actions";
import type { ComposerValues } from "./composer-values";
import { DeliveryFields } from "./delivery-fields";
import { Field } from "./field";
import { groupIssues, IssuesContext } from "./issues-context";
import { LivePreview } from "./live-preview";
import { MessageSection } from "./message-section";
import { SaveIndicator } from "./save-indicator";
import { Section } from "./section";
import { UNTITLED, useAutosave } from "./use-autosave";

const noSubscription = () => () => {};

export type ComposerApp = { bundleId: string; name: string };

export type ComposerProps = {
  campaignId: string | null;
  initial: ComposerValues;
  apps: ComposerApp[];
  actions: ComposerActions;
  /** Rendered under the message: audience, test devices, schedule. */
  renderSteps?: (ctx: ComposerContext) => React.ReactNode;
  headerActions?: (ctx: ComposerContext) => React.ReactNode;
  /** A campaign past draft: shown, not edited (no autosave). */
  readOnly?: boolean;
};

/** What the steps and actions around the form get. Values are read from the form context. */
export type ComposerContext = {
  id: string | null;
  /** The message has lint errors (or a JSON editor holds invalid text): no test, no schedule. */
  hasErrors: boolean;
  /** Saves now; the draft's id, or null when it cannot be saved yet. */
  flush: () => Promise<string | null>;
  apps: ComposerApp[];
};

/**
 * The campaign composer: a react-hook-form over the server's own schema (createCampaignSchema),
 * the live preview computed in the browser from the same builder the dispatcher uses, and autosave.
 * Typing re-renders the preview, not the form: fields are uncontrolled, each reads its own error
 * (useFormState) and lints (IssuesContext, which changes only when the lints do).
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
    // Checked as a field is left, not per keystroke: the lints already speak while typing, and
    // parsing 11 texts of 4 KB on every key would cost more than the preview itself.
    mode: "onBlur",
    reValidateMode: "onBlur",
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
  const [lints, setLints] = useState<PreviewIssue[]>([]);
  const issues = useMemo(() => groupIssues(lints), [lints]);
  const hasErrors = lints.some((i) => i.severity === "error") || Object.keys(jsonErrors).length > 0;
  const ctx: ComposerContext = { id, hasErrors, flush, apps };
  // True once hydrated: what is typed before that would be reset by the form's defaults.
  const ready = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

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
          data-ready={ready || undefined}
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
                    {(a11y) => (
                      <Input
                        {...a11y}
                        {...form.register("name")}
                        placeholder={UNTITLED}
                        autoComplete="off"
                      />
                    )}
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
                <Delivery />
              </Section>
            </fieldset>
            {renderSteps?.(ctx)}
          </div>
          <div className="lg:sticky lg:top-20 lg:max-h-[calc(100dvh-6rem)] lg:overflow-y-auto lg:pr-1">
            <LivePreview apps={apps} onIssues={setLints} />
          </div>
        </form>
      </IssuesContext.Provider>
    </FormProvider>
  );
}

function Delivery() {
  const pushType = useWatch<ComposerValues, "message.pushType">({ name: "message.pushType" });

  return <DeliveryFields pushType={pushType} />;
}
