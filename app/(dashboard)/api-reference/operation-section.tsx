import { CopyButton } from "@/components/copy-button";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import type { OpenApiDocument } from "@/lib/openapi/document";
import { describeType, exampleFor, type Operation } from "@/lib/openapi/reference-model";
import { SchemaTable } from "./schema-table";

const METHOD_VARIANT = {
  GET: "success",
  POST: "default",
  DELETE: "destructive",
  PUT: "warning",
  PATCH: "warning",
} as const;

export function MethodBadge({ method }: { method: string }) {
  return (
    <Badge
      variant={METHOD_VARIANT[method as keyof typeof METHOD_VARIANT] ?? "outline"}
      className="w-14 justify-center font-mono"
    >
      {method}
    </Badge>
  );
}

/** The document's descriptions use Markdown `code` spans; render those, leave the rest as text. */
export function InlineCode({ text }: { text: string }) {
  return text.split(/`([^`]+)`/).map((part, i) =>
    i % 2 ? (
      <code key={i} className="text-foreground font-mono text-xs">
        {part}
      </code>
    ) : (
      part
    ),
  );
}

function curlFor(doc: OpenApiDocument, op: Operation): string {
  const path = op.path.replace("{token}", "a".repeat(64)).replace("{userId}", "user-0001");
  const query = op.parameters
    .filter((p) => p.in === "query" && p.required)
    .map((p) => `${p.name}=com.pushdeck.demo`)
    .join("&");
  const url = `"$PUSHDECK_URL${path}${query ? `?${query}` : ""}"`;
  const lines = [`curl -X ${op.method} ${url}`, `  -H "Authorization: Bearer $PUSHDECK_API_KEY"`];
  if (op.requestSchema)
    lines.push(
      `  -H "Content-Type: application/json"`,
      `  -d '${JSON.stringify(exampleFor(doc, op.requestSchema.schema))}'`,
    );

  return lines.join(" \\\n");
}

export function OperationSection({
  doc,
  operation: op,
}: {
  doc: OpenApiDocument;
  operation: Operation;
}) {
  const curl = curlFor(doc, op);

  return (
    <Card id={op.id} className="scroll-mt-20">
      <CardHeader className="gap-2">
        <h2 className="flex flex-wrap items-center gap-2 font-semibold">
          <MethodBadge method={op.method} />
          <code className="font-mono text-sm break-all">{op.path}</code>
        </h2>
        <p className="text-sm">{op.summary}</p>
        {op.description ? (
          <p className="text-muted-foreground text-sm">
            <InlineCode text={op.description} />
          </p>
        ) : null}
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        {op.parameters.length ? (
          <section className="flex flex-col gap-2">
            <h3 className="text-sm font-medium">Parameters</h3>
            <ul className="flex flex-col gap-1.5 text-sm">
              {op.parameters.map((p) => (
                <li key={`${p.in}-${p.name}`} className="flex flex-wrap items-baseline gap-x-2">
                  <code className="font-mono text-xs">{p.name}</code>
                  <Badge variant="outline">{p.in}</Badge>
                  {p.required ? <Badge variant="secondary">required</Badge> : null}
                  <span className="text-muted-foreground font-mono text-xs">
                    {describeType(p.schema)}
                  </span>
                  {p.description ? (
                    <span className="text-muted-foreground text-xs">— {p.description}</span>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {op.requestSchema ? (
          <section className="flex flex-col gap-2">
            <h3 className="text-sm font-medium">
              Request body{" "}
              {op.requestSchema.name ? (
                <span className="text-muted-foreground font-mono text-xs">
                  ({op.requestSchema.name})
                </span>
              ) : null}
            </h3>
            <SchemaTable schema={op.requestSchema.schema} />
          </section>
        ) : null}
        <section className="flex flex-col gap-2">
          <h3 className="text-sm font-medium">Responses</h3>
          <ul className="flex flex-col gap-3">
            {op.responses.map((r) => (
              <li key={r.status} className="flex flex-col gap-1.5">
                <p className="flex flex-wrap items-center gap-2 text-sm">
                  <Badge
                    variant={r.status.startsWith("2") ? "success" : "outline"}
                    className="font-mono"
                  >
                    {r.status}
                  </Badge>
                  {r.description}
                  {r.schemaName ? (
                    <span className="text-muted-foreground font-mono text-xs">{r.schemaName}</span>
                  ) : null}
                </p>
                {r.schema && r.status.startsWith("2") ? <SchemaTable schema={r.schema} /> : null}
              </li>
            ))}
          </ul>
        </section>
        <section className="flex flex-col gap-2">
          <h3 className="flex items-center justify-between text-sm font-medium">
            Example <CopyButton value={curl} label="Copy curl command" />
          </h3>
          {/* Focusable, so a keyboard can scroll a long line into view. */}
          <pre
            tabIndex={0}
            className="bg-muted focus-visible:ring-ring overflow-x-auto rounded-md p-3 font-mono text-xs focus-visible:ring-2 focus-visible:outline-none"
          >
            {curl}
          </pre>
        </section>
      </CardContent>
    </Card>
  );
}
