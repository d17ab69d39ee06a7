// Failures that never got an HTTP answer from APNs, as outcomes with status 0.
// What matters for delivery is whether APNs may have processed the request:
// a refused stream never was (resend freely); a request lost with its socket may have been
// (resend, but flag a possible duplicate) — docs/apns.md §8, Pushdeck's policy.

import type { ReasonInfo } from "./reasons";

export const TRANSPORT_REASONS = {
  /** Could not open a connection (refused, DNS, unreachable): nothing was sent. */
  ConnectionError: { status: 0, action: "retry", meaning: "Could not connect to APNs." },
  /** The connection dropped after the request was written: APNs may or may not have accepted it. */
  ConnectionLost: {
    status: 0,
    action: "retry",
    meaning: "The connection was lost before APNs answered.",
  },
  /** The stream was above a GOAWAY's last-stream-id or refused (REFUSED_STREAM): never processed. */
  Refused: {
    status: 0,
    action: "retry",
    meaning: "APNs closed the connection before processing the request.",
    retryImmediately: true,
  },
  /**
   * The request's time ran out before all of it was written (it waited for a stream, or its body
   * for flow-control window): APNs cannot have processed it.
   */
  NotSent: {
    status: 0,
    action: "retry",
    meaning: "The request could not be sent in time (no free stream or window).",
  },
  /** No answer within the request timeout: APNs may or may not have accepted it. */
  Timeout: { status: 0, action: "retry", meaning: "APNs did not answer in time." },
  /** The TLS handshake failed: the server was not trusted, or our client certificate was refused. */
  TlsError: {
    status: 0,
    action: "fix-credential",
    meaning: "The secure connection to APNs could not be set up.",
  },
  /** The .p8 key or .p12 certificate could not be read. */
  CredentialError: {
    status: 0,
    action: "fix-credential",
    meaning: "The signing key or certificate could not be read.",
  },
  /** Our validator refused the request before sending; APNs would have refused it too. */
  InvalidRequest: {
    status: 0,
    action: "fix-request",
    meaning: "The notification is not valid; see its issues.",
  },
  /** Too many requests already wait for a free stream (backpressure): send later. */
  QueueFull: {
    status: 0,
    action: "retry",
    meaning: "Too many notifications are waiting to be sent.",
  },
  /** Something in the sender itself failed (a bug); the error is in the outcome's issues. */
  SenderError: { status: 0, action: "retry", meaning: "The sender failed unexpectedly." },
  /** The client was closed before the request could be sent. */
  ClientClosed: { status: 0, action: "retry", meaning: "The sender was closed before sending." },
} as const satisfies Record<string, ReasonInfo>;

export type TransportReason = keyof typeof TRANSPORT_REASONS;

const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

const TLS_CODE =
  /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL_)/;

/**
 * Name a transport error. `written` says whether the request had reached the socket:
 * before that, any failure is a connection failure and the request is safe to resend.
 */
export function classifyTransportError(
  error: unknown,
  written: boolean,
): "ConnectionError" | "ConnectionLost" | "TlsError" {
  const code =
    typeof error === "object" && error !== null
      ? String((error as { code?: unknown }).code ?? "")
      : "";
  // Before the connection was ready a TLS failure is the handshake (a CA or client certificate
  // problem: fix the credential); once requests were written on it, it is a lost connection.
  if (TLS_CODE.test(code)) return written ? "ConnectionLost" : "TlsError";
  // A refused or unreachable connect cannot have carried the request, whatever `written` says.
  if (!written || CONNECT_CODES.has(code)) return "ConnectionError";

  return "ConnectionLost";
}
