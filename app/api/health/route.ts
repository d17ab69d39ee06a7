import { getDb, getDbConfig } from "@/lib/db/client";

export const dynamic = "force-dynamic";

/** Liveness and database reachability for load balancers and the install check. */
export async function GET() {
  const config = getDbConfig();
  const started = performance.now();
  try {
    await getDb().$queryRawUnsafe("SELECT 1");

    return Response.json({
      status: "ok",
      database: config.provider,
      databaseLatencyMs: Math.round((performance.now() - started) * 10) / 10,
      demo: process.env.PUSHDECK_DEMO === "1",
      version: process.env.npm_package_version ?? null,
    });
  } catch (error) {
    return Response.json(
      {
        status: "error",
        database: config.provider,
        error: error instanceof Error ? error.message : String(error),
      },
      { status: 503 },
    );
  }
}
