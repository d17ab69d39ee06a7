// Runs once when a Next.js server process starts: the peer-address stamp that lets route handlers
// see the caller's address (lib/auth/client-ip.ts), then migrations, first admin, demo mode
// (lib/bootstrap).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installPeerAddressStamp } = await import("@/lib/auth/client-ip");
  installPeerAddressStamp();
  const { bootstrap } = await import("@/lib/bootstrap");
  await bootstrap();
}
