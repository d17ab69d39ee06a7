"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

/** Copies `value` to the clipboard; the icon turns into a check for a moment as feedback. */
export function CopyButton({
  value,
  label = "Copy",
  className,
}: {
  value: string;
  label?: string;
  className?: string;
}) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // Clipboard access needs a secure context (https or localhost); say so instead of failing silently.
      toast.error("Could not copy: select the text and copy it by hand.");
    }
  }

  return (
    <Button
      variant="ghost"
      size="icon"
      className={cn("size-7 shrink-0", className)}
      onClick={copy}
      aria-label={copied ? "Copied" : label}
      title={label}
    >
      {copied ? <Check className="text-success" /> : <Copy />}
    </Button>
  );
}
