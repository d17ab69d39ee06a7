import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePagePermission } from "@/lib/auth/session";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { operationsOf, resolve } from "@/lib/openapi/reference-model";
import { InlineCode, MethodBadge, OperationSection } from "./operation-section";
import { SchemaTable } from "./schema-table";

export const metadata: Metadata = { title: "API reference" };

/** The REST API, rendered from the same OpenAPI object /api/v1/openapi.json serves. */
export default async function ApiReferencePage() {
  await requirePagePermission("api-docs.read");
  const doc = buildOpenApiDocument();
  const operations = operationsOf(doc);
  const info = doc.info as { title: string; version: string; description: string };
  const problem = resolve(doc, { $ref: "#/components/schemas/Problem" });

  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            {info.title}, version {info.version}. The machine-readable document is at{" "}
            <a
              className="text-primary font-mono underline underline-offset-2 hover:no-underline"
              href="/api/v1/openapi.json"
            >
              /api/v1/openapi.json
            </a>
            .
          </>
        }
      />
      <div className="grid gap-8 lg:grid-cols-[14rem_minmax(0,1fr)]">
        <nav aria-label="Endpoints" className="lg:sticky lg:top-20 lg:self-start">
          <ul className="flex flex-col gap-1 text-sm">
            <li>
              <a href="#authentication" className="hover:bg-accent block rounded px-2 py-1">
                Authentication
              </a>
            </li>
            <li>
              <a href="#errors" className="hover:bg-accent block rounded px-2 py-1">
                Errors
              </a>
            </li>
            {operations.map((op) => (
              <li key={op.id}>
                <a
                  href={`#${op.id}`}
                  className="hover:bg-accent flex items-center gap-2 rounded px-2 py-1"
                >
                  <MethodBadge method={op.method} />
                  <span className="line-clamp-2">{op.summary.replace(/ \(scope.*\)$/, "")}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="flex min-w-0 flex-col gap-8">
          <Card id="authentication" className="scroll-mt-20">
            <CardHeader>
              <CardTitle>
                <h2>Authentication</h2>
              </CardTitle>
            </CardHeader>
            <CardContent className="text-muted-foreground flex flex-col gap-2 text-sm">
              <p>
                <InlineCode text={info.description} />
              </p>
              <p>
                Send the key in every request:{" "}
                <code className="text-foreground font-mono">Authorization: Bearer pd_…</code>. Keys
                are created under{" "}
                <Link
                  className="text-primary underline underline-offset-2 hover:no-underline"
                  href="/admin/api-keys"
                >
                  Admin → API keys
                </Link>{" "}
                with the scopes each endpoint names; a key restricted to one app reaches only that
                app&apos;s devices.
              </p>
            </CardContent>
          </Card>
          <Card id="errors" className="scroll-mt-20">
            <CardHeader>
              <CardTitle>
                <h2>Errors</h2>
              </CardTitle>
            </CardHeader>
            <CardContent className="text-muted-foreground flex flex-col gap-3 text-sm">
              <p>
                Every error is{" "}
                <code className="text-foreground font-mono">application/problem+json</code> (RFC
                9457). Validation errors (422) list each field in{" "}
                <code className="font-mono">errors</code>.
              </p>
              {problem ? <SchemaTable schema={problem} /> : null}
            </CardContent>
          </Card>
          {operations.map((op) => (
            <OperationSection key={op.id} doc={doc} operation={op} />
          ))}
        </div>
      </div>
    </>
  );
}
