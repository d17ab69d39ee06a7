import { Skeleton } from "@/components/ui/skeleton";

/**
 * Shaped like the device page: facts and timeline on the left, test push and history on the right.
 * The page's own Suspense fallback rather than a loading.tsx, so that a bad id or cursor is answered
 * 404 before anything streams (a loading.tsx would have started a 200 response first).
 */
export function DeviceSkeleton() {
  return (
    <div role="status" aria-label="Loading device" className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Skeleton className="h-7 w-64" />
        <Skeleton className="h-4 w-80 max-w-full" />
      </div>
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <div className="flex flex-col gap-6">
          <Skeleton className="h-72 rounded-xl" />
          <Skeleton className="h-48 rounded-xl" />
        </div>
        <div className="flex flex-col gap-6">
          <Skeleton className="h-64 rounded-xl" />
          <Skeleton className="h-32 rounded-xl" />
        </div>
      </div>
      <span className="sr-only">Loading…</span>
    </div>
  );
}
