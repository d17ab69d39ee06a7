// Helpers for the simulator's own tests: a raw node:http2 client over real TLS (not the sender,
// so the simulator is judged on its own) and ES256 provider tokens minted with jose.

import { connect, type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders, type SecureClientSessionOptions } from "node:http2";
import { generateKeyPair, exportPKCS8, SignJWT } from "jose";

import type { Simulator } from "./types";

export const TOKEN = "a".repeat(64);

export type RawResponse = { status: number; headers: IncomingHttpHeaders; body: string; json: Record<string, unknown> | null };

export function connectTo(sim: Simulator, options: SecureClientSessionOptions = {}): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(sim.url, { ca: sim.caPem, servername: "localhost", ...options });
    session.once("connect", () => resolve(session));
    session.once("error", reject);
  });
}

/** Sends one request; `headers` may override or remove (undefined) the defaults. */
export function send(
  session: ClientHttp2Session,
  options: { token?: string; path?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer; jwt?: string } = {},
): Promise<RawResponse> {
  const headers: OutgoingHttpHeaders = {
    ":method": "POST",
    ":path": options.path ?? `/3/device/${options.token ?? TOKEN}`,
    "apns-topic": "com.example.app",
    "apns-push-type": "alert",
    ...(options.jwt ? { authorization: `bearer ${options.jwt}` } : {}),
    ...options.headers,
  };
  for (const key of Object.keys(headers)) if (headers[key] === undefined) delete headers[key];

  return new Promise((resolve, reject) => {
    const request = session.request(headers);
    let responseHeaders: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    request.on("response", (h) => (responseHeaders = h));
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (responseHeaders[":status"] === undefined) return reject(new Error("stream ended without a response"));
      const body = Buffer.concat(chunks).toString();
      resolve({ status: Number(responseHeaders[":status"]), headers: responseHeaders, body, json: body ? JSON.parse(body) : null });
    });
    request.on("error", reject);
    request.on("close", () => reject(new Error(`stream closed (rst code ${request.rstCode})`))); // no-op once settled
    request.end(options.body ?? '{"aps":{"alert":"hi"}}');
  });
}

export type TestKey = { keyId: string; teamId: string; privateKeyPem: string; sign: (iatSeconds: number, overrides?: { kid?: string; iss?: string }) => Promise<string> };

export async function createTestKey(keyId = "KEY1234567", teamId = "TEAM123456"): Promise<TestKey> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const privateKeyPem = await exportPKCS8(privateKey);
  const sign = (iat: number, overrides: { kid?: string; iss?: string } = {}) =>
    new SignJWT({ iss: overrides.iss ?? teamId, iat })
      .setProtectedHeader({ alg: "ES256", kid: overrides.kid ?? keyId })
      .sign(privateKey);

  return { keyId, teamId, privateKeyPem, sign };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
