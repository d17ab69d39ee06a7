import { AlertTriangle, CheckCircle2, XCircle } from "lucide-react";
import { CopyButton } from "@/components/copy-button";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import type { TestPushResult } from "@/lib/push/send-test-push";

export type TestPushAnswer = TestPushResult;

/** APNs' answer to the test push, shown in place (aria-live so screen readers hear it too). */
export function TestPushResultView({ answer }: { answer: TestPushAnswer }) {
  const { outcome } = answer;
  const headline = outcome.ok
    ? `${outcome.status} accepted`
    : `${outcome.status || "No answer"} ${outcome.reason}`;

  return (
    <div aria-live="polite" className="mt-4 flex flex-col gap-3" data-testid="test-push-answer">
      <Alert variant={outcome.ok ? "info" : "destructive"}>
        {outcome.ok ? <CheckCircle2 aria-hidden /> : <XCircle aria-hidden />}
        <AlertTitle>APNs answered: {headline}</AlertTitle>
        <AlertDescription>
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
            <dt className="text-muted-foreground">apns-id</dt>
            <dd className="flex items-center gap-1 font-mono break-all">
              {answer.apnsId}
              <CopyButton value={answer.apnsId} label="Copy apns-id" />
            </dd>
            {outcome.ok && outcome.apnsUniqueId ? (
              <>
                <dt className="text-muted-foreground">apns-unique-id</dt>
                <dd className="font-mono break-all">{outcome.apnsUniqueId}</dd>
              </>
            ) : null}
            <dt className="text-muted-foreground">attempts</dt>
            <dd>{outcome.attempts}</dd>
            {!outcome.ok && outcome.timestamp ? (
              <>
                <dt className="text-muted-foreground">timestamp</dt>
                <dd>{new Date(outcome.timestamp).toISOString()}</dd>
              </>
            ) : null}
          </dl>
        </AlertDescription>
      </Alert>
      {answer.deviceInvalidated ? (
        <Alert variant="destructive">
          <AlertTriangle aria-hidden />
          <AlertTitle>This device is now invalid</AlertTitle>
          <AlertDescription>
            APNs reports the token as no longer valid for this app; Pushdeck will not send to it
            again until the app registers it anew.
          </AlertDescription>
        </Alert>
      ) : null}
    </div>
  );
}
