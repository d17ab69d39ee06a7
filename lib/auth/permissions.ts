/**
 * Authorization is data (docs/architecture.md, decision 5): this table is the only place where role
 * names meet permissions. Every server action and route handler names the permission it needs and
 * goes through lib/auth/guard.ts; pages and navigation read the same table.
 */
export const ROLES = ["ADMIN", "MARKETING", "SUPPORT"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "overview.read",
  // Names and bundle ids of the apps, for the app pickers and filters every staff role uses.
  "apps.read",
  "deliveries.read",
  "campaigns.read",
  "campaigns.write",
  "campaigns.send",
  "devices.read",
  "devices.reveal-token",
  "devices.write",
  "devices.test-push",
  "devices.import",
  "devices.export",
  "apps.manage",
  "credentials.manage",
  "users.manage",
  "api-keys.manage",
  "audit.read",
  "api-docs.read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  ADMIN: PERMISSIONS,
  MARKETING: [
    "overview.read",
    "apps.read",
    "deliveries.read",
    "campaigns.read",
    "campaigns.write",
    "campaigns.send",
    "api-docs.read",
  ],
  SUPPORT: [
    "overview.read",
    "apps.read",
    "deliveries.read",
    "devices.read",
    "devices.reveal-token",
    "devices.write",
    "devices.test-push",
    "devices.export",
    "api-docs.read",
  ],
};

const granted = new Map<Role, ReadonlySet<Permission>>(
  ROLES.map((role) => [role, new Set(ROLE_PERMISSIONS[role])]),
);

export function can(role: Role, permission: Permission): boolean {
  return granted.get(role)?.has(permission) ?? false;
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export const ROLE_LABELS: Record<Role, string> = {
  ADMIN: "Admin",
  MARKETING: "Marketing",
  SUPPORT: "Support",
};

/** Scopes an API key can carry (`Authorization: Bearer pd_…`). `admin` implies every other scope. */
export const API_SCOPES = [
  "devices:write",
  "devices:read",
  "notifications:send",
  "campaigns:write",
  "campaigns:read",
  "admin",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export function scopeAllows(scopes: readonly string[], needed: ApiScope): boolean {
  return scopes.includes("admin") || scopes.includes(needed);
}
