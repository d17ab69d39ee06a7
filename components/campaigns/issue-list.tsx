import { AlertTriangle, XCircle } from "lucide-react";
import { cn } from "@/lib/utils";

export type PreviewIssue = { severity: "error" | "warning"; field: string; message: string };

/** Errors and warnings in words; `compact` for the ones shown under their own field. */
export function IssueList({
  issues,
  id,
  compact = false,
}: {
  issues: readonly PreviewIssue[];
  id?: string;
  compact?: boolean;
}) {
  if (issues.length === 0) return null;

  return (
    <ul id={id} className={cn("flex flex-col", compact ? "gap-0.5" : "gap-1.5")}>
      {issues.map((issue, i) => (
        <li
          key={`${issue.field}-${i}`}
          data-severity={issue.severity}
          className={cn(
            "flex items-start gap-1.5 text-xs",
            issue.severity === "error" ? "text-destructive" : "text-foreground",
          )}
        >
          {issue.severity === "error" ? (
            <XCircle className="mt-px size-3.5 shrink-0" aria-hidden />
          ) : (
            <AlertTriangle className="text-warning mt-px size-3.5 shrink-0" aria-hidden />
          )}
          <span>
            <span className="sr-only">{issue.severity === "error" ? "Error: " : "Warning: "}</span>
            {issue.message}
          </span>
        </li>
      ))}
    </ul>
  );
}
