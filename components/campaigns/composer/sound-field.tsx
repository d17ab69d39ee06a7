"use client";

import { Controller, useFormContext } from "react-hook-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import type { CampaignSound } from "@/lib/campaigns/message";
import { Field } from "./field";
import { NullableNumberInput } from "./number-input";

type Mode = "none" | "default" | "named" | "critical";

const modeOf = (sound: CampaignSound): Mode =>
  sound === null
    ? "none"
    : typeof sound === "string"
      ? sound === "default"
        ? "default"
        : "named"
      : "critical";

/** No sound, the default one, a sound file of the app, or a critical alert with its volume. */
export function SoundField() {
  const { control } = useFormContext();

  return (
    <Controller
      control={control}
      name="message.sound"
      render={({ field }) => {
        const sound = field.value as CampaignSound;
        const mode = modeOf(sound);
        const name =
          sound === null
            ? ""
            : typeof sound === "string"
              ? sound === "default"
                ? ""
                : sound
              : sound.name;
        const setMode = (next: Mode) =>
          field.onChange(
            next === "none"
              ? null
              : next === "default"
                ? "default"
                : next === "named"
                  ? name || "alert.caf"
                  : { critical: true, name: name || "default", volume: 1 },
          );

        return (
          <div className="grid gap-3 sm:grid-cols-3">
            <Field name="message.sound" label="Sound">
              {(a11y) => (
                <Select {...a11y} value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
                  <option value="none">None</option>
                  <option value="default">Default</option>
                  <option value="named">Sound file…</option>
                  <option value="critical">Critical alert…</option>
                </Select>
              )}
            </Field>
            {mode === "named" || mode === "critical" ? (
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="sound-name">Sound file</Label>
                <Input
                  id="sound-name"
                  value={name}
                  placeholder="chime.caf"
                  onChange={(e) =>
                    field.onChange(
                      mode === "named"
                        ? e.target.value
                        : { ...(sound as object), critical: true, name: e.target.value },
                    )
                  }
                />
              </div>
            ) : null}
            {mode === "critical" && sound !== null && typeof sound === "object" ? (
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="sound-volume">Volume (0–1)</Label>
                <NullableNumberInput
                  id="sound-volume"
                  step={0.1}
                  min={0}
                  max={1}
                  value={sound.volume}
                  onChange={(volume) => field.onChange({ ...sound, volume: volume ?? 1 })}
                />
              </div>
            ) : null}
          </div>
        );
      }}
    />
  );
}
