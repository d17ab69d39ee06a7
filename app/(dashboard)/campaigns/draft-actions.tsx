"use client";

import { Copy, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/confirm-dialog";
import type { ComposerContext } from "@/components/campaigns/composer/composer";
import { Button } from "@/components/ui/button";
import { deleteCampaignAction, duplicateCampaignAction } from "./actions";
import { SaveTemplateButton } from "./save-template-button";

/** Duplicate, save as template and delete, for a saved draft. */
export function DraftActions({ ctx }: { ctx: ComposerContext }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [confirming, setConfirming] = useState(false);
  const id = ctx.id;

  return (
    <>
      <Button
        variant="outline"
        size="sm"
        disabled={!id || pending}
        onClick={() =>
          start(async () => {
            const saved = await ctx.flush();
            if (!saved) return void toast.error("Fix the highlighted fields before duplicating.");
            const result = await duplicateCampaignAction({ id: saved });
            if (!result.ok) return void toast.error(result.error);
            toast.success("Duplicated: you are editing the copy");
            router.push(`/campaigns/${result.data.id}`);
          })
        }
      >
        <Copy aria-hidden /> Duplicate
      </Button>
      <SaveTemplateButton />
      {id ? (
        <ConfirmDialog
          open={confirming}
          onOpenChange={setConfirming}
          trigger={
            <Button variant="ghost" size="sm">
              <Trash2 aria-hidden /> Delete draft
            </Button>
          }
          title="Delete this draft?"
          description="The draft and its settings are removed. This cannot be undone."
          confirmLabel="Delete draft"
          pending={pending}
          onConfirm={() =>
            start(async () => {
              const result = await deleteCampaignAction({ id });
              if (!result.ok) return void toast.error(result.error);
              toast.success("Draft deleted");
              router.push("/campaigns");
            })
          }
        />
      ) : null}
    </>
  );
}
