"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Button } from "@/components/ui/button";
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
    <ConfirmDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button variant="outline" size="sm" aria-label={`Revoke key ${name}`}>
          Revoke
        </Button>
      }
      title={<>Revoke “{name}”?</>}
      description={
        <>
          Requests with <code className="font-mono">{prefix}_…</code> will be refused from now on.
          This cannot be undone; the backend using it needs a new key.
        </>
      }
      confirmLabel="Revoke key"
      onConfirm={confirm}
      pending={pending}
    />
  );
}
