"use client";

import { Controller, useFormContext, useFormState, useWatch } from "react-hook-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Segmented } from "../segmented";
import type { ComposerValues } from "../composer/composer-values";
import { AudienceCount } from "./audience-count";
import { ListInput, splitValues } from "./list-input";
import { useAudienceCount, type CountAction } from "./use-audience-count";

const LISTS = [
  ["tags.any", "Has any of these tags", "beta, vip"],
  ["tags.all", "Has all of these tags", "premium"],
  ["tags.none", "Has none of these tags", "churn-risk"],
  ["locales", "Locales", "fr, fr-CA, de"],
  ["appVersions", "App versions", "3.4.0, 3.4.1"],
  ["osVersions", "iOS versions", "18.5, 26.0"],
  ["timeZones", "Time zones", "Europe/Paris"],
] as const;

/** First column of each CSV row; a header row ("user_id", "userId") is skipped. */
function userIdsFromCsv(text: string): string[] {
  const rows = text
    .split(/\r?\n/)
    .map((line) => line.split(",")[0]?.replace(/^"|"$/g, "").trim() ?? "");

  return rows.filter((v, i) => v && !(i === 0 && /^user[ _-]?id$/i.test(v)));
}

/**
 * All active devices of the app, or a segment of them, with the live count of matching devices.
 * Lists are typed or pasted (commas, spaces or new lines); user ids may also come from a CSV file.
 */
export function AudienceBuilder({
  count,
  children,
}: {
  count: CountAction;
  children?: React.ReactNode;
}) {
  const { control, setValue } = useFormContext<ComposerValues>();
  const { errors } = useFormState({ control, name: "audience" });
  const [audience, app, environment] = useWatch({
    control,
    name: ["audience", "app", "environment"],
  });
  const all = "all" in (audience ?? {}) && (audience as { all?: boolean }).all === true;
  const live = useAudienceCount(count, app, environment, audience ?? { all: true });
  const error = errors.audience as { message?: string; root?: { message?: string } } | undefined;
  const rootError = error?.message ?? error?.root?.message;

  return (
    <div className="flex flex-col gap-4">
      <Segmented
        label="Who"
        value={all ? "all" : "segment"}
        options={[
          { value: "all", label: "All devices" },
          { value: "segment", label: "A segment" },
        ]}
        onChange={(mode) =>
          setValue("audience", mode === "all" ? { all: true } : {}, { shouldDirty: true })
        }
      />
      {all ? (
        <p className="text-muted-foreground text-sm">
          Every active device of the app in the chosen environment.
        </p>
      ) : (
        <div className="grid gap-4 sm:grid-cols-2" data-testid="segment-fields">
          {LISTS.map(([name, label, placeholder]) => (
            <div key={name} className="flex flex-col gap-1.5">
              <Label htmlFor={`aud-${name}`}>{label}</Label>
              <Controller
                control={control}
                name={`audience.${name}` as "audience.locales"}
                render={({ field }) => (
                  <ListInput
                    id={`aud-${name}`}
                    placeholder={placeholder}
                    value={field.value}
                    onChange={field.onChange}
                  />
                )}
              />
            </div>
          ))}
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="aud-registered">Registered within (days)</Label>
            <Controller
              control={control}
              name="audience.registeredWithinDays"
              render={({ field }) => (
                <Input
                  id="aud-registered"
                  type="number"
                  min={1}
                  placeholder="30"
                  value={field.value ?? ""}
                  onChange={(e) =>
                    field.onChange(e.target.value === "" ? undefined : Number(e.target.value))
                  }
                />
              )}
            />
          </div>
          <div className="flex flex-col gap-1.5 sm:col-span-2">
            <Label htmlFor="aud-userIds">User ids</Label>
            <Controller
              control={control}
              name="audience.userIds"
              render={({ field }) => (
                <>
                  <ListInput
                    id="aud-userIds"
                    multiline
                    placeholder="user-0001, user-0002"
                    value={field.value}
                    onChange={field.onChange}
                    aria-describedby="aud-userIds-hint"
                  />
                  <div
                    id="aud-userIds-hint"
                    className="text-muted-foreground flex flex-wrap items-center gap-2 text-xs"
                  >
                    Paste them, or
                    <label className="text-primary cursor-pointer underline underline-offset-4 focus-within:ring-2">
                      upload a CSV
                      <input
                        type="file"
                        accept=".csv,text/csv,text/plain"
                        className="sr-only"
                        onChange={async (e) => {
                          const file = e.target.files?.[0];
                          if (file) field.onChange(userIdsFromCsv(await file.text()));
                          e.target.value = "";
                        }}
                      />
                    </label>
                    (first column; one user id per row).
                  </div>
                </>
              )}
            />
          </div>
          <div className="flex flex-col gap-1.5 sm:col-span-2">
            <Label htmlFor="aud-tokens">Device tokens</Label>
            <Controller
              control={control}
              name="audience.tokens"
              render={({ field }) => (
                <ListInput
                  id="aud-tokens"
                  multiline
                  placeholder="64 hex characters each"
                  value={field.value}
                  onChange={(v) => field.onChange(v.map((t) => t.toLowerCase()))}
                />
              )}
            />
          </div>
        </div>
      )}
      {rootError ? <p className="text-destructive text-xs">{rootError}</p> : null}
      <AudienceCount count={live.count} pending={live.pending} error={live.error} />
      {children}
    </div>
  );
}

export { splitValues };
