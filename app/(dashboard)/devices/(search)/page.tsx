import { Download, Smartphone, Upload } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { findApps } from "@/lib/apps/find-apps";
import { findDevices } from "@/lib/devices";
import { isAppError } from "@/lib/errors";
import { DevicesTable } from "../devices-table";
import { KeysetPagination } from "../keyset-pagination";
import { SearchForm } from "../search-form";
import { devicesHref, hasFilters, pageLinks, readQuery, toDeviceSearch } from "../search-params";

export const metadata: Metadata = { title: "Devices" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function DevicesPage({ searchParams }: Props) {
  const actor = await requirePagePermission("devices.read");
  const query = readQuery(await searchParams);
  const apps = await findApps({ kind: "user", ...actor }, { includeArchived: true });
  // An invalid filter (say, a token with non-hex characters) is a field error, not a crashed page.
  const result = await findDevices({ kind: "user", ...actor }, toDeviceSearch(query)).catch(
    (error: unknown) => {
      if (isAppError(error) || (error as Error).name === "ZodError")
        return {
          error: error as Error & {
            fieldErrors?: Record<string, string[]>;
            issues?: { path: PropertyKey[]; message: string }[];
          },
        };
      throw error;
    },
  );
  const failed = "error" in result ? result.error : null;
  const fieldErrors =
    failed?.fieldErrors ??
    Object.fromEntries((failed?.issues ?? []).map((i) => [String(i.path[0]), [i.message]]));
  const devices = "devices" in result ? result.devices : [];

  return (
    <>
      <PageHeader
        title="Devices"
        description="Every device token your apps have registered. Search by user ID, token, tag, app, environment or status."
        actions={
          <>
            {can(actor.role, "devices.export") ? (
              <Button variant="outline" asChild>
                <a href={devicesHref(query, {}, "/devices/export")} download>
                  <Download aria-hidden /> Export CSV
                </a>
              </Button>
            ) : null}
            {can(actor.role, "devices.import") ? (
              <Button asChild>
                <Link href="/devices/import">
                  <Upload aria-hidden /> Import CSV
                </Link>
              </Button>
            ) : null}
          </>
        }
      />
      <div className="flex flex-col gap-6">
        <SearchForm query={query} apps={apps} fieldErrors={fieldErrors} />
        {failed ? (
          <Alert variant="destructive">
            <AlertTitle>The search could not run</AlertTitle>
            <AlertDescription>
              {isAppError(failed) ? failed.message : "Check the highlighted fields."}
            </AlertDescription>
          </Alert>
        ) : apps.length === 0 ? (
          <EmptyState icon={Smartphone} title="No apps yet">
            Devices appear here once an admin adds an app and its backend registers tokens through
            the API.
          </EmptyState>
        ) : (
          <section
            aria-label={hasFilters(query) ? "Search results" : "Most recently registered devices"}
          >
            <h2 className="text-muted-foreground mb-2 text-sm font-medium">
              {hasFilters(query) ? "Search results" : "Newest devices"}
            </h2>
            <DevicesTable rows={devices} />
            <KeysetPagination
              links={pageLinks(query, "devices" in result ? result.nextCursor : null)}
              shown={devices.length}
            />
          </section>
        )}
      </div>
    </>
  );
}
