// Helpers for the simulator's own tests: a raw node:http2 client over real TLS (not the sender,
// so the simulator is judged on its own), ES256 provider tokens minted with jose, and push
// certificates made by the openssl CLI (shared with the sender's and the credentials' tests).

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  connect,
  type ClientHttp2Session,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type SecureClientSessionOptions,
} from "node:http2";
import { generateKeyPair, exportPKCS8, SignJWT } from "jose";

import type { Simulator } from "./types";

export const TOKEN = "a".repeat(64);

export type RawResponse = {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown> | null;
};

export function connectTo(
  sim: Simulator,
  options: SecureClientSessionOptions = {},
): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(sim.url, { ca: sim.caPem, servername: "localhost", ...options });
    session.once("connect", () => resolve(session));
    session.once("error", reject);
  });
}

/** Sends one request; `headers` may override or remove (undefined) the defaults. */
export function send(
  session: ClientHttp2Session,
  options: {
    token?: string;
    path?: string;
    headers?: OutgoingHttpHeaders;
    body?: string | Buffer;
    jwt?: string;
  } = {},
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
      if (responseHeaders[":status"] === undefined)
        return reject(new Error("stream ended without a response"));
      const body = Buffer.concat(chunks).toString();
      resolve({
        status: Number(responseHeaders[":status"]),
        headers: responseHeaders,
        body,
        json: body ? JSON.parse(body) : null,
      });
    });
    request.on("error", reject);
    request.on("close", () => reject(new Error(`stream closed (rst code ${request.rstCode})`))); // no-op once settled
    request.end(options.body ?? '{"aps":{"alert":"hi"}}');
  });
}

export type TestKey = {
  keyId: string;
  teamId: string;
  privateKeyPem: string;
  sign: (iatSeconds: number, overrides?: { kid?: string; iss?: string }) => Promise<string>;
};

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

export type OpensslPushCertificate = {
  caPem: string;
  certPem: string;
  p12: Buffer;
  passphrase: string;
};

/**
 * A push certificate made with the openssl CLI rather than node-forge (docs/apns.md §4), issued by
 * a CA of its own and exported with it as a .p12: subject UID=<bundle>, OU=<team>,
 * CN=Apple Push Services: <bundle>; 6.3.1 (and, for "both", 6.3.2); 6.3.6 written by openssl's own
 * ASN.1 generator as SEQUENCE { UTF8 topic, SEQUENCE { UTF8 kind } … } for `bundleId` (app) and
 * `bundleId.voip` (voip). Trust `caPem` as a client CA to connect with it.
 */
export function createOpensslPushCertificate(options: {
  bundleId: string;
  teamId: string;
  passphrase: string;
  environment?: "sandbox" | "both";
}): OpensslPushCertificate {
  const { bundleId, teamId, passphrase, environment = "both" } = options;
  const dir = mkdtempSync(join(tmpdir(), "pushdeck-openssl-"));
  const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  try {
    writeFileSync(
      join(dir, "ext.cnf"),
      [
        "[apns]",
        "basicConstraints = CA:FALSE",
        "extendedKeyUsage = clientAuth",
        "1.2.840.113635.100.6.3.1 = DER:0500",
        ...(environment === "both" ? ["1.2.840.113635.100.6.3.2 = DER:0500"] : []),
        "1.2.840.113635.100.6.3.6 = ASN1:SEQUENCE:topics",
        "[topics]",
        `t1 = UTF8:${bundleId}`,
        "k1 = SEQUENCE:kinds_app",
        `t2 = UTF8:${bundleId}.voip`,
        "k2 = SEQUENCE:kinds_voip",
        "[kinds_app]",
        "k = UTF8:app",
        "[kinds_voip]",
        "k = UTF8:voip",
        "",
      ].join("\n"),
    );
    run(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "30",
      "-subj",
      "/CN=OpenSSL Push CA",
    );
    run(
      "req",
      "-new",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "push.key",
      "-out",
      "push.csr",
      "-subj",
      `/UID=${bundleId}/CN=Apple Push Services: ${bundleId}/OU=${teamId}/C=US`,
    );
    run(
      "x509",
      "-req",
      "-in",
      "push.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "push.pem",
      "-days",
      "30",
      "-extfile",
      "ext.cnf",
      "-extensions",
      "apns",
    );
    run(
      "pkcs12",
      "-export",
      "-inkey",
      "push.key",
      "-in",
      "push.pem",
      "-certfile",
      "ca.pem",
      "-out",
      "push.p12",
      "-passout",
      `pass:${passphrase}`,
    );

    return {
      caPem: readFileSync(join(dir, "ca.pem"), "utf8"),
      certPem: readFileSync(join(dir, "push.pem"), "utf8"),
      p12: readFileSync(join(dir, "push.p12")),
      passphrase,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
