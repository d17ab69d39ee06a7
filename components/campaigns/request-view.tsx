"use client";

import { useState } from "react";
import type { ApnsHeaders } from "@/lib/apns/browser";
import { CodeBlock } from "./code-block";
import { Segmented } from "./segmented";

type View = "body" | "headers" | "curl";
const VIEWS = [
  { value: "body", label: "JSON body" },
  { value: "headers", label: "Headers" },
  { value: "curl", label: "curl" },
] as const;

/** The exact request for the previewed locale: body bytes as JSON text, APNs headers, curl. */
export function RequestView({
  body,
  headers,
  curl,
}: {
  body: string;
  headers: ApnsHeaders;
  curl: string;
}) {
  const [view, setView] = useState<View>("body");
  const headerText = Object.entries(headers)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
  const pretty = (() => {
    try {
      return JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      return body;
    }
  })();

  return (
    <div className="flex flex-col gap-2">
      <Segmented label="Request view" value={view} options={VIEWS} onChange={setView} />
      {view === "body" ? (
        <>
          <CodeBlock label="JSON body" code={pretty} testId="request-body" />
          <p className="text-muted-foreground text-xs">
            Indented here for reading; sent as one line:{" "}
            <code className="break-all">{body.length > 80 ? `${body.slice(0, 80)}…` : body}</code>
          </p>
        </>
      ) : view === "headers" ? (
        <CodeBlock label="APNs headers" code={headerText} testId="request-headers" />
      ) : (
        <CodeBlock label="curl command" code={curl} testId="request-curl" />
      )}
    </div>
  );
}
