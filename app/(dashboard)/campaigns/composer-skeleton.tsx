import { Skeleton } from "@/components/ui/skeleton";

/** The composer's shape while it loads: form cards on the left, the phone on the right. */
export function ComposerSkeleton() {
  return (
    <div role="status" aria-label="Loading the composer" className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Skeleton className="h-7 w-56" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_380px]">
        <div className="flex flex-col gap-6">
          {[4, 6, 3].map((rows, i) => (
            <div key={i} className="bg-card flex flex-col gap-3 rounded-xl border p-6">
              <Skeleton className="h-5 w-32" />
              {Array.from({ length: rows }, (_, j) => (
                <Skeleton key={j} className="h-9 w-full" />
              ))}
            </div>
          ))}
        </div>
        <Skeleton className="mx-auto h-[576px] w-[280px] rounded-[44px]" />
      </div>
      <span className="sr-only">Loading…</span>
    </div>
  );
}
