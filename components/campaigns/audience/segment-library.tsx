"use client";

import { Save } from "lucide-react";
import { useEffect, useState, useTransition } from "react";
import { useFormContext, useWatch } from "react-hook-form";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import type { AudienceInput } from "@/lib/campaigns/audience-schema";
import type { ComposerValues } from "../composer/composer-values";

type Result<T> =
  { ok: true; data: T } | { ok: false; error: string; fieldErrors?: Record<string, string[]> };
type SavedSegment = { id: string; name: string; audience: AudienceInput };
export type SegmentActions = {
  find: (input: { app: string }) => Promise<Result<SavedSegment[]>>;
  save: (input: {
    app: string;
    name: string;
    audience: AudienceInput;
  }) => Promise<Result<{ id: string; name: string }>>;
};

/** Load one of the app's saved segments into the builder, or save the one built under a name. */
export function SegmentLibrary({ actions }: { actions: SegmentActions }) {
  const { control, setValue, getValues } = useFormContext<ComposerValues>();
  const app = useWatch({ control, name: "app" });
  const [segments, setSegments] = useState<SavedSegment[]>([]);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  useEffect(() => {
    let current = true;
    void actions.find({ app }).then((result) => {
      if (current && result.ok) setSegments(result.data);
    });

    return () => {
      current = false;
    };
  }, [actions, app]);

  const save = () =>
    start(async () => {
      const result = await actions.save({ app, name, audience: getValues("audience") });
      if (!result.ok) return void setError(result.fieldErrors?.name?.[0] ?? result.error);
      setError(null);
      toast.success(`Segment “${result.data.name}” saved`);
      const listed = await actions.find({ app });
      if (listed.ok) setSegments(listed.data);
    });

  return (
    <div className="grid gap-4 border-t pt-4 sm:grid-cols-2">
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="load-segment">Load a saved segment</Label>
        <Select
          id="load-segment"
          value=""
          disabled={segments.length === 0}
          onChange={(e) => {
            const segment = segments.find((s) => s.id === e.target.value);
            if (segment) {
              setValue("audience", segment.audience, { shouldDirty: true });
              setName(segment.name);
            }
          }}
        >
          <option value="">{segments.length ? "Choose…" : "None saved for this app"}</option>
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </Select>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="segment-name">Save this audience as</Label>
        <div className="flex gap-2">
          <Input
            id="segment-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="French beta testers"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "segment-name-error" : undefined}
          />
          <Button type="button" variant="outline" onClick={save} disabled={pending || !name.trim()}>
            <Save aria-hidden /> Save
          </Button>
        </div>
        {error ? (
          <p id="segment-name-error" className="text-destructive text-xs">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
