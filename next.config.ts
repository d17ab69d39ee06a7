import type { NextConfig } from "next";
import { API_CSP, STATIC_SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // Native and wasm-loading packages stay outside the server bundle (docs/platform-notes.md).
  serverExternalPackages: [
    "better-sqlite3",
    "pg",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "@prisma/schema-engine-wasm",
    "@prisma/driver-adapter-utils",
    "@node-rs/argon2",
    "node-forge",
    "csv-parse",
  ],
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "2mb" } },
  poweredByHeader: false,
  typedRoutes: false,
  // The request-independent security headers on everything Next serves; proxy.ts gives pages their
  // own CSP (with a nonce) and HSTS over HTTPS (lib/http/security-headers.ts says who does what).
  async headers() {
    const headers = [...STATIC_SECURITY_HEADERS, ["Content-Security-Policy", API_CSP] as const];

    return [{ source: "/:path*", headers: headers.map(([key, value]) => ({ key, value })) }];
  },
};

export default nextConfig;
