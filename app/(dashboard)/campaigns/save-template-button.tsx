"use client";

import { BookmarkPlus } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { useFormContext } from "react-hook-form";
import type { ComposerValues } from "@/components/campaigns/composer/composer-values";
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
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { saveTemplateAction } from "./actions";

/** Saves the current message (not the audience or schedule) as a named template. */
export function SaveTemplateButton() {
  const { getValues } = useFormContext<ComposerValues>();
  const [open, setOpen] = useState(false);
  const [templateName, setTemplateName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => (setOpen(next), next && setTemplateName(getValues("name")))}
    >
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          <BookmarkPlus aria-hidden /> Save as template
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Save as template</DialogTitle>
          <DialogDescription>
            The message is saved; new campaigns can start from it.
          </DialogDescription>
        </DialogHeader>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="template-name">Template name</Label>
          <Input
            id="template-name"
            value={templateName}
            onChange={(e) => setTemplateName(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "template-name-error" : undefined}
          />
          {error ? (
            <p id="template-name-error" className="text-destructive text-xs">
              {error}
            </p>
          ) : null}
        </div>
        <DialogFooter>
          <Button variant="outline" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button
            disabled={pending}
            onClick={() =>
              start(async () => {
                const result = await saveTemplateAction({
                  name: templateName,
                  message: getValues("message") as never,
                });
                if (!result.ok) return void setError(result.fieldErrors?.name?.[0] ?? result.error);
                toast.success(`Template “${templateName}” saved`);
                setOpen(false);
              })
            }
          >
            Save template
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
