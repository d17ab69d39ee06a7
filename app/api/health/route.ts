import { getDb, getDbConfig } from "@/lib/db/client";

export const dynamic = "force-dynamic";

/**
 * Liveness and database reachability for load balancers and the install check. Anyone may call it,
 * so it says only whether Pushdeck and its database answer, and which kind of database: not whether
 * demo mode (whose accounts share a published password) is on, nor the version or the database's
 * error, which goes to the server's log.
 */
export async function GET() {
  const { provider } = getDbConfig();
  try {
    await getDb().$queryRawUnsafe("SELECT 1");

    return Response.json({ status: "ok", database: provider });
  } catch (error) {
    console.error(
      "[health] the database does not answer:",
      error instanceof Error ? error.message : String(error),
    );

    return Response.json({ status: "error", database: provider }, { status: 503 });
  }
}
