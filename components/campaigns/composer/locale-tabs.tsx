"use client";

import { Plus, X } from "lucide-react";
import { useRef, useState } from "react";
import { useFormContext, useWatch } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";
import type { ComposerValues } from "./composer-values";
import { AlertTextFields } from "./alert-text-fields";

const LOCALE = /^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$/;
const DEFAULT = "";

/**
 * Title, subtitle and body for the default text and for each localized variant, one tab each.
 * A device gets the variant of its registered locale (fr-CA, then fr), else the default.
 */
export function LocaleTabs() {
  const { control, setValue, getValues } = useFormContext<ComposerValues>();
  const localizations = useWatch({ control, name: "message.localizations" }) ?? {};
  const locales = Object.keys(localizations);
  const [active, setActive] = useState(DEFAULT);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const current = locales.includes(active) ? active : DEFAULT;
  const all = [DEFAULT, ...locales];

  function addLocale() {
    const locale = draft.trim();
    if (!LOCALE.test(locale)) return setError('A language tag such as "fr" or "fr-CA"');
    if (locales.some((l) => l.toLowerCase() === locale.toLowerCase()))
      return setError(`${locale} is already there`);
    const { title, subtitle, body } = getValues("message");
    setValue(
      "message.localizations",
      {
        ...localizations,
        [locale]: { title: title ?? "", subtitle: subtitle ?? "", body: body ?? "" },
      },
      { shouldDirty: true },
    );
    setActive(locale);
    setDraft("");
    setError(null);
  }

  function removeLocale(locale: string) {
    const next = { ...localizations };
    delete next[locale];
    setValue("message.localizations", next, { shouldDirty: true });
    setActive(DEFAULT);
  }

  function onKeyDown(event: React.KeyboardEvent, index: number) {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = (index + step + all.length) % all.length;
    setActive(all[next]);
    tabs.current[next]?.focus();
  }

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div
          role="tablist"
          aria-label="Message language"
          className="bg-muted flex flex-wrap gap-1 rounded-md p-1"
        >
          {all.map((locale, index) => (
            <button
              key={locale || "default"}
              ref={(el) => {
                tabs.current[index] = el;
              }}
              type="button"
              role="tab"
              id={`locale-tab-${locale || "default"}`}
              aria-selected={current === locale}
              aria-controls={`locale-panel-${locale || "default"}`}
              tabIndex={current === locale ? 0 : -1}
              onClick={() => setActive(locale)}
              onKeyDown={(e) => onKeyDown(e, index)}
              className={cn(
                "focus-visible:ring-ring rounded px-3 py-1 text-sm font-medium transition-colors focus-visible:ring-2 focus-visible:outline-none",
                current === locale
                  ? "bg-background shadow-sm"
                  : "text-muted-foreground hover:text-foreground",
              )}
            >
              {locale || "Default"}
            </button>
          ))}
        </div>
        <div className="flex items-end gap-2">
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="new-locale" className="text-xs">
              Add a language
            </Label>
            <Input
              id="new-locale"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  addLocale();
                }
              }}
              placeholder="fr-CA"
              className="h-8 w-28"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "new-locale-error" : undefined}
            />
          </div>
          <Button type="button" variant="outline" size="sm" onClick={addLocale}>
            <Plus aria-hidden /> Add
          </Button>
        </div>
      </div>
      {error ? (
        <p id="new-locale-error" className="text-destructive -mt-1 text-xs">
          {error}
        </p>
      ) : null}
      <div
        role="tabpanel"
        id={`locale-panel-${current || "default"}`}
        aria-labelledby={`locale-tab-${current || "default"}`}
        className="flex flex-col gap-4"
      >
        {current ? (
          <div className="flex items-center justify-between gap-2">
            <p className="text-muted-foreground text-xs">
              Devices registered in {current} (or a more specific {current}-… locale) get this text.
            </p>
            <Button type="button" variant="ghost" size="sm" onClick={() => removeLocale(current)}>
              <X aria-hidden /> Remove {current}
            </Button>
          </div>
        ) : null}
        <AlertTextFields
          key={current || "default"}
          prefix={current ? `message.localizations.${current}` : "message"}
          locale={current || null}
        />
      </div>
    </div>
  );
}
