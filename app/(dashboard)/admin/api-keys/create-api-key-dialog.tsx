"use client";

import { Loader2, Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { createApiKeyAction } from "@/lib/api-keys/actions";
import { NewKeyView } from "./new-key-view";

const SCOPE_HELP: Record<string, string> = {
  "devices:write": "register and unregister devices",
  "devices:read": "read the registry (full tokens)",
  "notifications:send": "send notifications",
  "campaigns:write": "create and edit campaigns",
  "campaigns:read": "read campaigns and their results",
  admin: "everything above",
};

type Props = { scopes: string[]; apps: { bundleId: string; name: string }[] };

/** Create a key: the form, then the key itself, shown once in the same dialog. */
export function CreateApiKeyDialog({ scopes, apps }: Props) {
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const router = useRouter();

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const input = {
      name: String(data.get("name") ?? ""),
      scopes: data.getAll("scopes").map(String) as never[],
      app: String(data.get("app") ?? "") || undefined,
    };
    startTransition(async () => {
      const result = await createApiKeyAction(input);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        if (!result.fieldErrors) toast.error(result.error);

        return;
      }
      setErrors({});
      setCreated({ key: result.data.key, name: result.data.apiKey.name });
      router.refresh();
    });
  }
  // Closing forgets the key: it is never fetched again, so it cannot be shown twice.
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setCreated(null);
      setErrors({});
    }
  };
  const error = (field: string) => errors[field]?.[0];

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>
          <Plus aria-hidden /> Create key
        </Button>
      </DialogTrigger>
      <DialogContent onInteractOutside={(e) => created && e.preventDefault()}>
        {created ? (
          <NewKeyView name={created.name} apiKey={created.key} onDone={() => onOpenChange(false)} />
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>Create an API key</DialogTitle>
              <DialogDescription>
                Give each backend its own key with only the scopes it needs.
              </DialogDescription>
            </DialogHeader>
            <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="key-name">Name</Label>
                <Input
                  id="key-name"
                  name="name"
                  placeholder="iOS backend (production)"
                  maxLength={100}
                  aria-invalid={error("name") ? true : undefined}
                  aria-describedby={error("name") ? "key-name-error" : undefined}
                />
                {error("name") ? (
                  <p id="key-name-error" className="text-destructive text-xs">
                    {error("name")}
                  </p>
                ) : null}
              </div>
              <fieldset
                className="flex flex-col gap-2"
                aria-describedby={error("scopes") ? "key-scopes-error" : undefined}
              >
                <legend className="mb-2 text-sm font-medium">Scopes</legend>
                {scopes.map((scope) => (
                  <label key={scope} className="flex items-start gap-2 text-sm">
                    <input
                      type="checkbox"
                      name="scopes"
                      value={scope}
                      className="accent-primary mt-0.5 size-4"
                    />
                    <span>
                      <code className="font-mono text-xs">{scope}</code>{" "}
                      <span className="text-muted-foreground">— {SCOPE_HELP[scope] ?? ""}</span>
                    </span>
                  </label>
                ))}
                {error("scopes") ? (
                  <p id="key-scopes-error" className="text-destructive text-xs">
                    {error("scopes")}
                  </p>
                ) : null}
              </fieldset>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="key-app">App restriction</Label>
                <Select
                  id="key-app"
                  name="app"
                  defaultValue=""
                  aria-invalid={error("app") ? true : undefined}
                >
                  <option value="">All apps</option>
                  {apps.map((a) => (
                    <option key={a.bundleId} value={a.bundleId}>
                      {a.name} ({a.bundleId})
                    </option>
                  ))}
                </Select>
                {error("app") ? <p className="text-destructive text-xs">{error("app")}</p> : null}
              </div>
              <div className="flex justify-end gap-2">
                <Button variant="outline" onClick={() => onOpenChange(false)}>
                  Cancel
                </Button>
                <Button type="submit" disabled={pending}>
                  {pending ? <Loader2 className="animate-spin" aria-hidden /> : null} Create key
                </Button>
              </div>
            </form>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
