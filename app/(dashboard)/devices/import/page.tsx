import { ChevronLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePagePermission } from "@/lib/auth/session";
import { findApps } from "@/lib/apps/find-apps";
import { IMPORT_COLUMNS, TAG_SEPARATOR } from "@/lib/devices/devices-csv";
import { ImportClient } from "./import-client";

export const metadata: Metadata = { title: "Import devices" };

export default async function ImportDevicesPage() {
  const actor = await requirePagePermission("devices.import");
  const apps = await findApps({ kind: "user", ...actor });

  return (
    <>
      <Link
        href="/devices"
        className="text-muted-foreground hover:text-foreground mb-3 inline-flex items-center gap-1 text-sm"
      >
        <ChevronLeft className="size-4" aria-hidden /> Devices
      </Link>
      <PageHeader
        title="Import devices"
        description="Register a list of device tokens from a CSV file, for example when moving from another push service."
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <ImportClient apps={apps} />
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>File format</h2>
            </CardTitle>
          </CardHeader>
          <CardContent className="text-muted-foreground flex flex-col gap-3 text-sm">
            <p>A header row, then one device per row. Columns, in any order:</p>
            <p>
              <code className="text-foreground font-mono text-xs break-words">
                {IMPORT_COLUMNS.join(", ")}
              </code>
            </p>
            <ul className="list-disc space-y-1 pl-5">
              <li>
                <strong className="text-foreground">token</strong> is required: hex, 64 characters
                or more.
              </li>
              <li>
                <strong className="text-foreground">app</strong> and{" "}
                <strong className="text-foreground">environment</strong> (sandbox or production) may
                be left out when chosen here.
              </li>
              <li>
                <strong className="text-foreground">tags</strong> are separated by{" "}
                <code>{TAG_SEPARATOR}</code>;{" "}
                <strong className="text-foreground">attributes</strong> is a JSON object.
              </li>
              <li>
                Existing tokens are refreshed, not duplicated; rows that fail are skipped and listed
                with their reasons.
              </li>
            </ul>
            <p>An export from the Devices page can be imported as it is.</p>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
