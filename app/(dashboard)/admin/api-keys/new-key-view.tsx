import { TriangleAlert } from "lucide-react";
import { CopyButton } from "@/components/copy-button";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";

/** The one moment the full key exists outside the backend that will use it. */
export function NewKeyView({
  name,
  apiKey,
  onDone,
}: {
  name: string;
  apiKey: string;
  onDone: () => void;
}) {
  return (
    <>
      <DialogHeader>
        <DialogTitle>Key “{name}” created</DialogTitle>
        <DialogDescription>Copy it into your backend&apos;s secret store now.</DialogDescription>
      </DialogHeader>
      <Alert variant="destructive">
        <TriangleAlert aria-hidden />
        <AlertTitle>This is the only time the key is shown</AlertTitle>
        <AlertDescription>
          Pushdeck keeps only a hash. If you lose it, revoke this key and create a new one.
        </AlertDescription>
      </Alert>
      <div className="bg-muted flex items-center gap-2 rounded-md border p-2">
        <code className="flex-1 font-mono text-xs break-all select-all" data-testid="new-api-key">
          {apiKey}
        </code>
        <CopyButton value={apiKey} label="Copy key" />
      </div>
      <p className="text-muted-foreground text-xs">
        Use it as <code className="font-mono">Authorization: Bearer {apiKey.slice(0, 11)}…</code>
      </p>
      <div className="flex justify-end">
        <Button onClick={onDone}>I have copied the key</Button>
      </div>
    </>
  );
}
