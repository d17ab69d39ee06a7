// Runs once when a Next.js server process starts: migrations, first admin, demo mode (lib/bootstrap).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrap } = await import("@/lib/bootstrap");
  await bootstrap();
}
