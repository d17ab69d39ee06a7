"use client";

import { Download, FileUp, Loader2 } from "lucide-react";
import Link from "next/link";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Progress } from "@/components/ui/progress";
import { Select } from "@/components/ui/select";
import { downloadRejects, runImport, type ImportState } from "./run-import";

const IDLE: ImportState = {
  phase: "idle",
  processed: 0,
  accepted: 0,
  rejected: 0,
  percent: 0,
  rejects: [],
};

/** Picks a file and streams it to the server; the bar follows the bytes the server has processed. */
export function ImportClient({ apps }: { apps: { bundleId: string; name: string }[] }) {
  const [state, setState] = useState<ImportState>(IDLE);
  const [fileError, setFileError] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const busy = state.phase === "running";

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const file = data.get("file");
    if (!(file instanceof File) || file.size === 0)
      return setFileError("Choose a CSV file to import.");
    setFileError(null);
    const final = await runImport(
      file,
      { app: String(data.get("app") ?? ""), environment: String(data.get("environment") ?? "") },
      setState,
    );
    if (final.phase === "done")
      toast.success(
        `Import finished: ${final.accepted.toLocaleString("en")} accepted, ${final.rejected.toLocaleString("en")} rejected`,
      );
    else if (final.phase === "error") toast.error(final.error ?? "The import failed");
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Upload a CSV file</h2>
        </CardTitle>
      </CardHeader>
      <CardContent>
        <form ref={form} onSubmit={submit} className="flex flex-col gap-4" noValidate>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="import-file">CSV file</Label>
            <Input
              id="import-file"
              name="file"
              type="file"
              accept=".csv,text/csv"
              disabled={busy}
              aria-invalid={fileError ? true : undefined}
              aria-describedby={fileError ? "import-file-error" : undefined}
            />
            {fileError ? (
              <p id="import-file-error" className="text-destructive text-xs">
                {fileError}
              </p>
            ) : null}
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="import-app">App for rows without one</Label>
              <Select id="import-app" name="app" disabled={busy} defaultValue="">
                <option value="">Use the file&apos;s app column</option>
                {apps.map((a) => (
                  <option key={a.bundleId} value={a.bundleId}>
                    {a.name} ({a.bundleId})
                  </option>
                ))}
              </Select>
            </div>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="import-environment">Environment for rows without one</Label>
              <Select id="import-environment" name="environment" disabled={busy} defaultValue="">
                <option value="">Use the file&apos;s environment column</option>
                <option value="production">Production</option>
                <option value="sandbox">Sandbox</option>
              </Select>
            </div>
          </div>
          <Button type="submit" disabled={busy} className="w-fit">
            {busy ? <Loader2 className="animate-spin" aria-hidden /> : <FileUp aria-hidden />}{" "}
            {busy ? "Importing…" : "Import"}
          </Button>
        </form>
        {state.phase !== "idle" ? (
          <div className="mt-6 flex flex-col gap-3" aria-live="polite">
            <div className="flex items-center justify-between text-sm">
              <span className="font-medium">
                {state.phase === "done"
                  ? "Import finished"
                  : state.phase === "error"
                    ? "Import stopped"
                    : "Importing…"}
              </span>
              <span className="tabular-nums" data-testid="import-percent">
                {state.percent}%
              </span>
            </div>
            <Progress value={state.percent} label="Import progress" />
            <p className="text-muted-foreground text-sm tabular-nums" data-testid="import-counts">
              {state.processed.toLocaleString("en")} rows processed ·{" "}
              <span className="text-success">{state.accepted.toLocaleString("en")} accepted</span> ·{" "}
              <span className={state.rejected ? "text-destructive" : undefined}>
                {state.rejected.toLocaleString("en")} rejected
              </span>
            </p>
            {state.error ? (
              <p className="text-destructive text-sm" role="alert">
                {state.error}
              </p>
            ) : null}
            <div className="flex flex-wrap gap-2">
              {state.phase === "done" && state.rejects.length ? (
                <Button variant="outline" onClick={() => downloadRejects(state.rejects)}>
                  <Download aria-hidden /> Download rejects (CSV)
                </Button>
              ) : null}
              {state.phase === "done" ? (
                <Button variant="ghost" asChild>
                  <Link href="/devices">Go to devices</Link>
                </Button>
              ) : null}
            </div>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
