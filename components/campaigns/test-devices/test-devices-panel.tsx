"use client";

import { Loader2, Plus, Send, X } from "lucide-react";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { TestAnswers } from "./test-answers";
import type { TestAnswer, TestDeviceActions, TestDeviceRow } from "./types";

/**
 * "Test before sending": the signed-in person's own test devices (added from the registry by token
 * or device id), and a send of the current message to those of this app and environment, with
 * APNs' answer for each. Nothing is created but test deliveries (in each device's timeline).
 */
export function TestDevicesPanel({
  initial,
  appId,
  environment,
  message,
  blocked,
  actions,
}: {
  initial: TestDeviceRow[];
  appId: string;
  environment: "production" | "sandbox";
  /** The message as it is now (read when the test is sent). */
  message: () => unknown;
  blocked: string | null;
  actions: TestDeviceActions;
}) {
  const [devices, setDevices] = useState(initial);
  const [ref, setRef] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [answers, setAnswers] = useState<TestAnswer[] | null>(null);
  const [pending, start] = useTransition();
  const matching = devices.filter((d) => d.app.id === appId && d.environment === environment);

  const add = () =>
    start(async () => {
      const text = ref.trim().replace(/[\s<>]/g, "");
      const input = /^\d+$/.test(text)
        ? { deviceId: Number(text) }
        : /^[0-9a-f]{64,}$/i.test(text)
          ? { token: text.toLowerCase() }
          : { userId: text };
      const result = await actions.add(input);
      if (!result.ok) return void setError(result.error);
      setDevices((list) => [
        result.data,
        ...list.filter((d) => d.deviceId !== result.data.deviceId),
      ]);
      setRef("");
      setError(null);
    });
  const remove = (deviceId: number) =>
    start(async () => {
      const result = await actions.remove({ deviceId });
      if (!result.ok) return void setError(result.error);
      setDevices((list) => list.filter((d) => d.deviceId !== deviceId));
    });
  const send = () =>
    start(async () => {
      const result = await actions.send({ appId, environment, message: message() });
      if (!result.ok) return void setError(result.error);
      setError(null);
      setAnswers(result.data.results);
    });

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end gap-2">
        <div className="flex min-w-64 flex-1 flex-col gap-1.5">
          <Label htmlFor="test-device-ref">Device token, device id or user id</Label>
          <Input
            id="test-device-ref"
            value={ref}
            onChange={(e) => setRef(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                add();
              }
            }}
            className="font-mono text-xs"
            spellCheck={false}
            autoComplete="off"
            aria-describedby={error ? "test-device-error" : undefined}
          />
        </div>
        <Button type="button" variant="outline" onClick={add} disabled={pending || !ref.trim()}>
          <Plus aria-hidden /> Add test device
        </Button>
      </div>
      {error ? (
        <p id="test-device-error" role="alert" className="text-destructive text-xs">
          {error}
        </p>
      ) : null}
      {devices.length ? (
        <ul aria-label="Your test devices" className="divide-y rounded-lg border">
          {devices.map((d) => (
            <li key={d.deviceId} className="flex items-center gap-3 px-3 py-2 text-sm">
              <div className="min-w-0 flex-1">
                <p className="truncate">
                  {d.label ?? d.model ?? `Device ${d.deviceId}`}{" "}
                  <span className="text-muted-foreground text-xs">
                    {d.app.name} · {d.environment}
                    {d.locale ? ` · ${d.locale}` : ""}
                  </span>
                </p>
                <p className="text-muted-foreground truncate font-mono text-xs">{d.token}</p>
              </div>
              <Button
                type="button"
                variant="ghost"
                size="icon"
                className="size-8"
                aria-label={`Remove test device ${d.deviceId}`}
                onClick={() => remove(d.deviceId)}
                disabled={pending}
              >
                <X aria-hidden />
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-muted-foreground text-sm">
          No test devices yet: add your own phone by its token or your user id.
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <Button
          type="button"
          onClick={send}
          disabled={pending || matching.length === 0 || Boolean(blocked)}
        >
          {pending ? <Loader2 className="animate-spin" aria-hidden /> : <Send aria-hidden />} Send
          test
        </Button>
        <p className="text-muted-foreground text-xs">
          {blocked ??
            (matching.length
              ? `To ${matching.length} of your devices for this app (${environment}).`
              : `None of your test devices is for this app (${environment}).`)}
        </p>
      </div>
      {answers ? <TestAnswers answers={answers} /> : null}
    </div>
  );
}
