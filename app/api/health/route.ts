import { checkDatabase } from "@/lib/health/check-database";

export const dynamic = "force-dynamic";

/** Liveness and database reachability for load balancers and the install check. */
export async function GET() {
  const database = await checkDatabase();
  if (database.ok)
    return Response.json({
      status: "ok",
      database: database.provider,
      databaseLatencyMs: database.latencyMs,
      demo: process.env.PUSHDECK_DEMO === "1",
      version: process.env.npm_package_version ?? null,
    });

  return Response.json(
    {
      status: "error",
      database: database.provider,
      error: database.error instanceof Error ? database.error.message : String(database.error),
    },
    { status: 503 },
  );
}
