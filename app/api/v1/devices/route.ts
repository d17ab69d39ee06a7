import { nextRoute } from "@/lib/api/route";
import { registerDeviceHandler } from "@/lib/ingest/registration";

export const dynamic = "force-dynamic";

/** Register or refresh one device token (lib/ingest/registration.ts; `npm start` serves it on its fast path). */
export const POST = nextRoute(registerDeviceHandler);
