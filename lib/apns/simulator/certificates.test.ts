// Certificate-based connections (docs/apns.md §4): push certificates made by our helper and by the
// openssl CLI, presented as TLS client certificates from a .p12, judged by UID / 6.3.x extensions.

import { X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { readCertIdentity } from "../certificate-identity";
import { startSimulator } from "./index";
import { createTestClientCa, createTestPushCertificate, type TestCa } from "./test-certificates";
import {
  connectTo,
  createOpensslPushCertificate,
  send,
  type OpensslPushCertificate,
} from "./test-helpers";
import type { Simulator } from "./types";

let sim: Simulator;
let ca: TestCa;
const sessions: { close(): void }[] = [];
const DAY = 86_400_000;

beforeAll(async () => {
  ca = createTestClientCa();
  sim = await startSimulator({ clientCaPems: [ca.certPem] });
});

afterAll(async () => {
  sessions.forEach((s) => s.close());
  await sim.close();
});

async function withCert(p12: Buffer, passphrase: string, target = sim) {
  const session = await connectTo(target, { pfx: p12, passphrase });
  sessions.push(session);

  return (headers: Record<string, string | undefined> = {}) =>
    send(session, { headers }).then((r) =>
      r.status === 200 ? 200 : `${r.status} ${r.json?.reason}`,
    );
}

describe("push certificates from test-certificates.ts", () => {
  it("authenticates by certificate: every topic of the 6.3.6 list, nothing else", async () => {
    const cert = createTestPushCertificate({
      ca,
      bundleId: "com.example.app",
      teamId: "TEAM123456",
      passphrase: "s3cret",
    });
    const push = await withCert(cert.p12, "s3cret");
    expect(await push({ "apns-topic": "com.example.app" })).toBe(200);
    expect(await push({ "apns-topic": "com.example.app.voip", "apns-push-type": "voip" })).toBe(
      200,
    );
    expect(
      await push({
        "apns-topic": "com.example.app.complication",
        "apns-push-type": "complication",
      }),
    ).toBe(200);
    expect(await push({ "apns-topic": "com.example.other" })).toBe("400 TopicDisallowed");
    expect(await push({ "apns-topic": undefined })).toBe("400 MissingTopic"); // three topics: must say which
  });

  it("refuses location and liveactivity pushes on a certificate connection", async () => {
    const cert = createTestPushCertificate({
      ca,
      bundleId: "com.example.app",
      teamId: "TEAM123456",
      topics: [
        { topic: "com.example.app", kinds: ["app"] },
        { topic: "com.example.app.location-query", kinds: ["app"] },
        { topic: "com.example.app.push-type.liveactivity", kinds: ["app"] },
      ],
    });
    const push = await withCert(cert.p12, cert.passphrase);
    expect(
      await push({ "apns-topic": "com.example.app.location-query", "apns-push-type": "location" }),
    ).toBe("400 TopicDisallowed");
    expect(
      await push({
        "apns-topic": "com.example.app.push-type.liveactivity",
        "apns-push-type": "liveactivity",
      }),
    ).toBe("400 TopicDisallowed");
  });

  it("a single-topic certificate (UID only) may omit apns-topic; 6.3.4 adds the .voip topic", async () => {
    const plain = createTestPushCertificate({
      ca,
      bundleId: "com.example.single",
      teamId: "TEAM123456",
      topics: [],
    });
    const push = await withCert(plain.p12, plain.passphrase);
    expect(await push({ "apns-topic": undefined })).toBe(200);
    expect(await push({ "apns-topic": "com.example.single.voip", "apns-push-type": "voip" })).toBe(
      "400 TopicDisallowed",
    );

    const voip = createTestPushCertificate({
      ca,
      bundleId: "com.example.single",
      teamId: "TEAM123456",
      topics: [],
      voip: true,
    });
    const pushVoip = await withCert(voip.p12, voip.passphrase);
    expect(
      await pushVoip({ "apns-topic": "com.example.single.voip", "apns-push-type": "voip" }),
    ).toBe(200);
  });

  it("BadCertificateEnvironment for a production certificate on the sandbox host, and vice versa", async () => {
    const production = createTestPushCertificate({
      ca,
      bundleId: "com.example.app",
      teamId: "TEAM123456",
      environment: "production",
    });
    expect(await (await withCert(production.p12, production.passphrase))()).toBe(
      "403 BadCertificateEnvironment",
    );
    const sandbox = createTestPushCertificate({
      ca,
      bundleId: "com.example.app",
      teamId: "TEAM123456",
      environment: "sandbox",
    });
    expect(await (await withCert(sandbox.p12, sandbox.passphrase))()).toBe(200);
  });

  it("BadCertificate for an expired certificate or one from an untrusted CA", async () => {
    const expired = createTestPushCertificate({
      ca,
      bundleId: "com.example.app",
      teamId: "TEAM123456",
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    expect(await (await withCert(expired.p12, expired.passphrase))()).toBe("403 BadCertificate");
    const stranger = createTestPushCertificate({
      ca: createTestClientCa("Stranger CA"),
      bundleId: "com.example.app",
      teamId: "TEAM123456",
    });
    expect(await (await withCert(stranger.p12, stranger.passphrase))()).toBe("403 BadCertificate");
  });

  it("addClientCa trusts a new CA for later connections", async () => {
    const later = createTestClientCa("Later CA");
    const cert = createTestPushCertificate({
      ca: later,
      bundleId: "com.example.app",
      teamId: "TEAM123456",
    });
    expect(await (await withCert(cert.p12, cert.passphrase))()).toBe("403 BadCertificate");
    sim.addClientCa(later.certPem);
    expect(await (await withCert(cert.p12, cert.passphrase))()).toBe(200);
  });
});

describe("a push certificate made with the openssl CLI", () => {
  let cert: OpensslPushCertificate;

  beforeAll(() => {
    cert = createOpensslPushCertificate({
      bundleId: "com.example.ossl",
      teamId: "TEAMOSSL01",
      passphrase: "ossl-pass",
    });
  });

  it("reads UID, OU, both environments and the 6.3.6 topics", () => {
    const der = new X509Certificate(cert.certPem).raw;
    expect(readCertIdentity(der)).toEqual({
      uid: "com.example.ossl",
      teamId: "TEAMOSSL01",
      commonName: "Apple Push Services: com.example.ossl",
      environments: ["sandbox", "production"],
      topics: ["com.example.ossl", "com.example.ossl.voip"],
    });
  });

  it("authenticates a connection with the .p12", async () => {
    sim.addClientCa(cert.caPem);
    const push = await withCert(cert.p12, cert.passphrase);
    expect(await push({ "apns-topic": "com.example.ossl" })).toBe(200);
    expect(await push({ "apns-topic": "com.example.ossl.voip", "apns-push-type": "voip" })).toBe(
      200,
    );
    expect(await push({ "apns-topic": "com.example.app" })).toBe("400 TopicDisallowed");
  });
});
