import { PageSkeleton } from "@/components/page-skeleton";

// In the (search) group with the search page only: at devices/ it would also wrap the segments
// below (import, a device, a user), start their response as a 200 before their own permission or
// input checks ran, and turn a 403 or a 404 there into a 200.
export default function Loading() {
  return <PageSkeleton />;
}
