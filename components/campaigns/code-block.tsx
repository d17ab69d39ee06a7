import { CopyButton } from "@/components/copy-button";
import { cn } from "@/lib/utils";

/**
 * A scrollable block of code with a copy button. It takes keyboard focus, so that a keyboard user
 * can scroll it (axe: scrollable-region-focusable).
 */
export function CodeBlock({
  label,
  code,
  className,
  testId,
}: {
  label: string;
  code: string;
  className?: string;
  testId?: string;
}) {
  return (
    <div className="relative">
      <pre
        tabIndex={0}
        aria-label={label}
        data-testid={testId}
        className={cn(
          "bg-muted/60 focus-visible:ring-ring max-h-72 overflow-auto rounded-lg border p-3 pr-10 font-mono text-xs leading-relaxed whitespace-pre focus-visible:ring-2 focus-visible:outline-none",
          className,
        )}
      >
        {code}
      </pre>
      <CopyButton
        value={code}
        label={`Copy ${label.toLowerCase()}`}
        className="absolute top-1.5 right-1.5"
      />
    </div>
  );
}
