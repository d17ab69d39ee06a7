import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  createTestClientCa,
  createTestPushCertificate,
} from "@/lib/apns/simulator/test-certificates";
import { createOpensslPushCertificate } from "@/lib/apns/simulator/test-helpers";
import { inspectP12, inspectP8 } from "./inspect-key-material";

const ca = createTestClientCa();

describe("inspectP8", () => {
  it("accepts a P-256 PKCS#8 key and refuses anything else with a clear message", () => {
    const p256 = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
      .privateKey.export({ format: "pem", type: "pkcs8" })
      .toString();
    expect(inspectP8(p256)).toContain("BEGIN PRIVATE KEY");
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" })
      .privateKey.export({ format: "pem", type: "pkcs8" })
      .toString();
    expect(() => inspectP8(p384)).toThrow(/P-256/);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ format: "pem", type: "pkcs8" })
      .toString();
    expect(() => inspectP8(rsa)).toThrow(/P-256/);
    expect(() => inspectP8("hello")).toThrow(/PKCS#8/);
    expect(() => inspectP8("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")).toThrow(
      /could not be read/,
    );
  });
});

describe("inspectP12", () => {
  it("reads bundle id, team, environments, topics and validity", () => {
    const cert = createTestPushCertificate({
      ca,
      bundleId: "com.example.app",
      teamId: "TEAM123456",
      environment: "both",
      passphrase: "s3cret",
    });
    const info = inspectP12(cert.p12, "s3cret");
    expect(info).toMatchObject({
      bundleId: "com.example.app",
      teamId: "TEAM123456",
      environments: ["sandbox", "production"],
    });
    expect(info.topics).toEqual([
      "com.example.app",
      "com.example.app.voip",
      "com.example.app.complication",
    ]);
    expect(info.notAfter.getTime()).toBe(Math.floor(cert.notAfter.getTime() / 1000) * 1000);
  });

  it("refuses a wrong passphrase, an expired certificate, random bytes and a non-push certificate", () => {
    const cert = createTestPushCertificate({
      ca,
      bundleId: "com.example.app",
      teamId: "TEAM123456",
      passphrase: "right",
    });
    expect(() => inspectP12(cert.p12, "wrong")).toThrow(/passphrase is wrong/);
    const expired = createTestPushCertificate({
      ca,
      bundleId: "com.example.app",
      teamId: "TEAM123456",
      passphrase: "p",
      notBefore: new Date("2024-01-01"),
      notAfter: new Date("2025-01-01"),
    });
    expect(() => inspectP12(expired.p12, "p")).toThrow(/expired on 2025-01-01/);
    expect(() =>
      inspectP12(
        new Uint8Array(512).map((_, i) => (i * 37) % 256),
        "p",
      ),
    ).toThrow(/not a readable .p12|passphrase/);

    const dir = mkdtempSync(path.join(tmpdir(), "pushdeck-p12-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        path.join(dir, "k.pem"),
        "-out",
        path.join(dir, "c.pem"),
        "-days",
        "30",
        "-subj",
        "/CN=Just a website",
      ],
      { stdio: "ignore" },
    );
    execFileSync(
      "openssl",
      [
        "pkcs12",
        "-export",
        "-inkey",
        path.join(dir, "k.pem"),
        "-in",
        path.join(dir, "c.pem"),
        "-out",
        path.join(dir, "c.p12"),
        "-passout",
        "pass:x",
      ],
      { stdio: "ignore" },
    );
    expect(() => inspectP12(readFileSync(path.join(dir, "c.p12")), "x")).toThrow(
      /not an Apple push certificate/,
    );
  });

  it("reads a push certificate made by openssl with the APNs topics extension", () => {
    const cert = createOpensslPushCertificate({
      bundleId: "com.example.ossl",
      teamId: "TEAMOSSL01",
      passphrase: "pw",
    });
    const info = inspectP12(cert.p12, cert.passphrase);
    expect(info).toMatchObject({
      bundleId: "com.example.ossl",
      teamId: "TEAMOSSL01",
      environments: ["sandbox", "production"],
      topics: ["com.example.ossl", "com.example.ossl.voip"],
    });
  });
});
