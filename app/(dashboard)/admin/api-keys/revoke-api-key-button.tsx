"use client";

import { Loader2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { revokeApiKeyAction } from "@/lib/api-keys/actions";

/** Revoking is immediate and final: the next request with this key gets 401. */
export function RevokeApiKeyButton({
  id,
  name,
  prefix,
}: {
  id: string;
  name: string;
  prefix: string;
}) {
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const router = useRouter();

  function confirm() {
    startTransition(async () => {
      const result = await revokeApiKeyAction({ id });
      if (!result.ok) return void toast.error(result.error);
      setOpen(false);
      toast.success(`Key "${name}" revoked`);
      router.refresh();
    });
  }

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" aria-label={`Revoke key ${name}`}>
          Revoke
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Revoke “{name}”?</DialogTitle>
          <DialogDescription>
            Requests with <code className="font-mono">{prefix}_…</code> will be refused from now on.
            This cannot be undone; the backend using it needs a new key.
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <Button variant="outline" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button variant="destructive" onClick={confirm} disabled={pending}>
            {pending ? <Loader2 className="animate-spin" aria-hidden /> : null} Revoke key
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
