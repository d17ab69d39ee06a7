import { nextRoute } from "@/lib/api/route";
import { registerDeviceBatchHandler } from "@/lib/ingest/registration";

export const dynamic = "force-dynamic";

/** Up to 10,000 registrations (lib/ingest/registration.ts; `npm start` serves it on its fast path). */
export const POST = nextRoute(registerDeviceBatchHandler);
