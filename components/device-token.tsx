import { CopyButton } from "@/components/copy-button";
import { cn } from "@/lib/utils";

/**
 * A device token in monospace. Full tokens get a copy button; masked ones (the viewer lacks
 * devices.reveal-token) get none, since a masked token is useless to copy.
 */
export function DeviceToken({
  token,
  masked,
  truncate = false,
  className,
}: {
  token: string;
  masked: boolean;
  truncate?: boolean;
  className?: string;
}) {
  return (
    <span className={cn("inline-flex max-w-full items-center gap-1", className)}>
      <code
        className={cn("font-mono text-xs", truncate ? "max-w-[18ch] truncate" : "break-all")}
        title={masked ? "Masked: your role cannot see full tokens" : token}
        data-token-masked={masked || undefined}
      >
        {token}
      </code>
      {masked ? null : <CopyButton value={token} label="Copy token" />}
    </span>
  );
}
