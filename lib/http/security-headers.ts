/**
 * The security headers of every response Pushdeck sends: the one definition
 * (docs/decisions/0001-request-edge.md). Where each is applied:
 *
 * - next.config.ts `headers()`: STATIC_SECURITY_HEADERS and API_CSP on every path Next serves
 *   (static: next.config cannot see the request);
 * - proxy.ts, on pages: the page CSP with a fresh nonce (replacing API_CSP) and HSTS over HTTPS;
 * - lib/api/route.ts, on API answers from Next: HSTS over HTTPS;
 * - the registration fast path (lib/http/node-api.ts), which bypasses Next: all of them, from
 *   securityHeaders() below.
 *
 * No imports: next.config.ts, proxy.ts and client-free server code all load this file.
 */
export type HeaderList = readonly (readonly [name: string, value: string])[];

/** What a browser may do with any of our responses, whatever their type. */
export const STATIC_SECURITY_HEADERS: HeaderList = [
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", "strict-origin-when-cross-origin"],
  ["X-Frame-Options", "DENY"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  // Pushdeck uses none of these browser features; no page (or injected script) may ask for them.
  [
    "Permissions-Policy",
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()",
  ],
];

/** For everything that is not a page (JSON, CSV, NDJSON, files): nothing may load or frame it. */
export const API_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * HSTS: sent only on requests that reached us over HTTPS (lib/http/secure-request.ts). A year, as
 * browsers' preload rules expect; no `preload`, which is an operator's decision for the domain.
 */
export const HSTS_HEADER = [
  "Strict-Transport-Security",
  "max-age=31536000; includeSubDomains",
] as const;

/**
 * The CSP of pages. Scripts run only with the request's nonce (Next puts it on its own scripts
 * when it finds it in the request's CSP, see proxy.ts) or when loaded by such a script
 * ('strict-dynamic'). Styles allow inline: Radix and sonner set style attributes, which nonces
 * cannot cover, and a style cannot run code. Next's dev server needs eval (React's debug stacks).
 */
export function pageCsp(nonce: string, options: { dev?: boolean; https?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Only over HTTPS: on http://localhost it would send the page's own requests to https://.
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Request header in which proxy.ts hands the page's nonce to the root layout. */
export const NONCE_HEADER = "x-nonce";

/** A CSP nonce: 128 random bits, base64. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));

  return btoa(String.fromCharCode(...bytes));
}

/** Every security header of a response, for code that writes responses itself (the fast path). */
export function securityHeaders(options: { https: boolean; csp?: string }): HeaderList {
  return [
    ...STATIC_SECURITY_HEADERS,
    ["Content-Security-Policy", options.csp ?? API_CSP],
    ...(options.https ? [HSTS_HEADER] : []),
  ];
}
