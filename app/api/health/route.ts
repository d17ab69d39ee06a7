import { checkDatabase } from "@/lib/health/check-database";

export const dynamic = "force-dynamic";

/**
 * Liveness and database reachability for load balancers and the install check. Anyone may call it,
 * so it says only whether Pushdeck and its database answer, and which kind of database: not whether
 * demo mode (whose accounts share a published password) is on, nor the version or the database's
 * error, which goes to the server's log.
 */
export async function GET() {
  const database = await checkDatabase();
  if (database.ok) return Response.json({ status: "ok", database: database.provider });
  console.error("[health] the database does not answer:", database.error);

  return Response.json({ status: "error", database: database.provider }, { status: 503 });
}
