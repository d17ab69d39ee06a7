import type { Role } from "@/lib/auth/permissions";

/** Demo mode's accounts, one per role, with a password everyone can read (README, login page). */
export const DEMO_PASSWORD = "pushdeck-demo";
export const DEMO_ACCOUNTS: readonly { email: string; name: string; role: Role }[] = [
  { email: "admin@demo.pushdeck", name: "Ada Admin", role: "ADMIN" },
  { email: "marketing@demo.pushdeck", name: "Mia Marketing", role: "MARKETING" },
  { email: "support@demo.pushdeck", name: "Sam Support", role: "SUPPORT" },
];
