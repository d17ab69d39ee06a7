// The "auth" step of Apple's order: certificate connections are judged by their client
// certificate (docs/apns.md §4), everything else by the bearer JWT (docs/apns.md §3).

import type { IncomingHttpHeaders } from "node:http2";

import type { Connection, SimulatorContext } from "./context";
import { TOKEN_AUTH_ONLY, bundleOf } from "./push-types";
import type { VerifiedToken } from "./jwt-verifier";
import type { Rejection, SimulatorReason } from "./reasons";
import type { ParsedRequest } from "./validate-headers";

function authenticateCertificate(
  context: SimulatorContext,
  connection: Connection,
  request: ParsedRequest,
): Rejection | null {
  const cert = connection.cert;
  if (cert.kind === "invalid") return { reason: "BadCertificate" };
  if (cert.kind !== "valid") return null;

  const { environments, topics } = cert.identity;
  if (environments.length > 0 && !environments.includes(context.mode))
    return { reason: "BadCertificateEnvironment" };
  // Location and Live Activity pushes need token auth; a certificate can never carry them.
  if (TOKEN_AUTH_ONLY.has(request.pushType)) return { reason: "TopicDisallowed" };
  if (!topics.includes(request.topic)) return { reason: "TopicDisallowed" };

  return null;
}

/** `undefined`: the JWT's signature is not verified yet; call `authenticate` (async). */
export const NEEDS_VERIFICATION = undefined;

/**
 * The auth step without awaiting: certificate connections, and token requests whose JWT signature
 * verdict is cached (all but a token's first request). Keeps the hot path free of promises.
 */
export function authenticateNow(
  context: SimulatorContext,
  connection: Connection,
  request: ParsedRequest,
  headers: IncomingHttpHeaders,
): Rejection | null | typeof NEEDS_VERIFICATION {
  if (connection.cert.kind !== "none") return authenticateCertificate(context, connection, request);
  const verified = context.jwt.checkCached(headers.authorization, connection.binding);

  return verified === null ? NEEDS_VERIFICATION : judgeToken(connection, request, verified);
}

export async function authenticate(
  context: SimulatorContext,
  connection: Connection,
  request: ParsedRequest,
  headers: IncomingHttpHeaders,
): Promise<Rejection | null> {
  if (connection.cert.kind !== "none") return authenticateCertificate(context, connection, request);

  return judgeToken(
    connection,
    request,
    await context.jwt.check(headers.authorization, connection.binding),
  );
}

function judgeToken(
  connection: Connection,
  request: ParsedRequest,
  verified: VerifiedToken | SimulatorReason,
): Rejection | null {
  if (typeof verified === "string") return { reason: verified };
  if (verified.topics && !verified.topics.has(bundleOf(request.topic)))
    return { reason: "TopicDisallowed" };

  // Bind the connection to its first team and key; later tokens are judged against them.
  connection.binding.teamId ??= verified.teamId;
  connection.binding.keyId ??= verified.kid;

  return null;
}
