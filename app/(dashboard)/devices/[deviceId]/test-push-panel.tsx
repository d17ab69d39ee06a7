"use client";

import { Loader2, Send } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/lib/utils";
import { sendTestPushAction } from "../actions";
import { TestPushResultView, type TestPushAnswer } from "./test-push-result";

const SAMPLE_JSON = JSON.stringify(
  { aps: { alert: { title: "Hello", body: "A test from Pushdeck" }, sound: "default" } },
  null,
  2,
);

/** Sends one push to this device through the real sender and shows APNs' answer as soon as it comes. */
export function TestPushPanel({
  deviceId,
  environment,
}: {
  deviceId: number;
  environment: string;
}) {
  const [mode, setMode] = useState<"alert" | "json">("alert");
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [json, setJson] = useState(SAMPLE_JSON);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [answer, setAnswer] = useState<TestPushAnswer | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const input = mode === "alert" ? { mode, deviceId, title, body } : { mode, deviceId, json };
      const result = await sendTestPushAction(input);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        toast.error(result.error);

        return;
      }
      setErrors({});
      setAnswer(result.data);
      if (result.data.outcome.ok)
        toast.success(`APNs accepted the push (${result.data.outcome.status})`);
      else
        toast.warning(
          `APNs answered ${result.data.outcome.status || "nothing"}: ${result.data.outcome.reason}`,
        );
    });
  }
  const error = (field: string) => errors[field]?.[0];
  const segment = (value: "alert" | "json", label: string) => (
    <button
      type="button"
      role="radio"
      aria-checked={mode === value}
      onClick={() => setMode(value)}
      className={cn(
        "focus-visible:ring-ring rounded px-3 py-1 text-sm font-medium transition-colors focus-visible:ring-2 focus-visible:outline-none",
        mode === value ? "bg-background shadow-sm" : "text-muted-foreground hover:text-foreground",
      )}
    >
      {label}
    </button>
  );

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Send a test push</h2>
        </CardTitle>
        <CardDescription>
          Goes through the real sender to APNs {environment}; the answer is recorded in the
          timeline.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
          <div
            role="radiogroup"
            aria-label="Payload"
            className="bg-muted inline-flex w-fit gap-1 rounded-md p-1"
          >
            {segment("alert", "Title & body")}
            {segment("json", "Raw JSON")}
          </div>
          {mode === "alert" ? (
            <>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="push-title">
                  Title <span className="text-muted-foreground font-normal">(optional)</span>
                </Label>
                <Input
                  id="push-title"
                  value={title}
                  onChange={(e) => setTitle(e.target.value)}
                  maxLength={200}
                  aria-invalid={error("title") ? true : undefined}
                />
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="push-body">Body</Label>
                <Textarea
                  id="push-body"
                  value={body}
                  onChange={(e) => setBody(e.target.value)}
                  maxLength={2000}
                  rows={3}
                  aria-invalid={error("body") ? true : undefined}
                  aria-describedby={error("body") ? "push-body-error" : undefined}
                />
                {error("body") ? (
                  <p id="push-body-error" className="text-destructive text-xs">
                    {error("body")}
                  </p>
                ) : null}
              </div>
            </>
          ) : (
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="push-json">Payload JSON</Label>
              <Textarea
                id="push-json"
                value={json}
                onChange={(e) => setJson(e.target.value)}
                rows={8}
                className="font-mono text-xs"
                spellCheck={false}
                aria-invalid={error("json") ? true : undefined}
                aria-describedby={error("json") ? "push-json-error" : undefined}
              />
              {error("json") ? (
                <p id="push-json-error" className="text-destructive text-xs">
                  {error("json")}
                </p>
              ) : null}
            </div>
          )}
          <Button type="submit" disabled={pending} className="w-fit">
            {pending ? <Loader2 className="animate-spin" aria-hidden /> : <Send aria-hidden />}{" "}
            {pending ? "Sending…" : "Send test push"}
          </Button>
        </form>
        {answer ? <TestPushResultView answer={answer} /> : null}
      </CardContent>
    </Card>
  );
}
