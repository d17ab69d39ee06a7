import { CheckCircle2, XCircle } from "lucide-react";
import type { TestAnswer } from "./types";

/** APNs' answer for each test device, as soon as the sends come back. */
export function TestAnswers({ answers }: { answers: TestAnswer[] }) {
  return (
    <ul aria-label="APNs answers" className="flex flex-col gap-2" data-testid="test-answers">
      {answers.map((a) => {
        const ok = a.status === 200;

        return (
          <li
            key={a.deviceId}
            className="bg-muted/50 flex items-start gap-2 rounded-lg border px-3 py-2 text-sm"
          >
            {ok ? (
              <CheckCircle2 className="text-success mt-0.5 size-4 shrink-0" aria-hidden />
            ) : (
              <XCircle className="text-destructive mt-0.5 size-4 shrink-0" aria-hidden />
            )}
            <div className="min-w-0">
              <p className="font-medium">
                {a.label ?? `Device ${a.deviceId}`}: APNs answered{" "}
                {a.status
                  ? `${a.status} ${ok ? "accepted" : (a.reason ?? "")}`
                  : `nothing (${a.reason})`}
              </p>
              <p className="text-muted-foreground font-mono text-xs break-all">
                apns-id {a.apnsId} · {a.locale ? `${a.locale} text` : "default text"}
                {a.deviceInvalidated ? " · the token is no longer valid" : ""}
              </p>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
