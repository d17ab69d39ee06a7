"use client";

import { Ban } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { revokeDeviceAction } from "../actions";

/** Revoking stops every send to the device; it is audited and undone only by the app registering again. */
export function RevokeDeviceButton({ deviceId }: { deviceId: number }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function confirm() {
    startTransition(async () => {
      const result = await revokeDeviceAction({ deviceId, reason });
      if (!result.ok) {
        setError(result.fieldErrors?.reason?.[0] ?? result.error);

        return;
      }
      setOpen(false);
      toast.success(result.data.changed ? "Device revoked" : "The device was already revoked");
    });
  }

  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setError(null);
      }}
      trigger={
        <Button variant="destructive">
          <Ban aria-hidden /> Revoke
        </Button>
      }
      title="Revoke this device?"
      description={
        <>
          Pushdeck stops sending to it, campaigns and tests alike. Its history stays. If the app
          registers the token again, it becomes active again.
        </>
      }
      confirmLabel="Revoke device"
      onConfirm={confirm}
      pending={pending}
    >
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="revoke-reason">
          Reason{" "}
          <span className="text-muted-foreground font-normal">(recorded in the audit log)</span>
        </Label>
        <Textarea
          id="revoke-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          placeholder="e.g. user asked to stop notifications on this phone"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "revoke-error" : undefined}
        />
        {error ? (
          <p id="revoke-error" className="text-destructive text-xs">
            {error}
          </p>
        ) : null}
      </div>
    </ConfirmDialog>
  );
}
