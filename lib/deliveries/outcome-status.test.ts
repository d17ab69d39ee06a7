import { describe, expect, it } from "vitest";

import { APNS_REASONS, TRANSPORT_REASONS, actionFor, type SendFailure } from "@/lib/apns";

import { invalidatesToken } from "./outcome-status";

const registered = new Date("2026-06-01T00:00:00Z");
const failure = (reason: string, status: number, timestamp?: number): SendFailure => ({
  ok: false,
  status,
  reason,
  action: actionFor(reason, status),
  apnsId: "00000000-0000-4000-8000-000000000000",
  attempts: 1,
  ...(timestamp === undefined ? {} : { timestamp }),
});

describe("invalidatesToken", () => {
  it("follows the APNs reasons table: exactly the reasons whose action is invalidate-token", () => {
    for (const [reason, info] of [
      ...Object.entries(APNS_REASONS),
      ...Object.entries(TRANSPORT_REASONS),
    ]) {
      expect([reason, invalidatesToken(failure(reason, info.status), registered)]).toStrictEqual([
        reason,
        info.action === "invalidate-token",
      ]);
    }
  });

  it("ignores a verdict older than the device's last registration (a reinstall)", () => {
    const before = registered.getTime() - 1000;
    const after = registered.getTime() + 1000;
    expect(invalidatesToken(failure("Unregistered", 410, before), registered)).toBe(false);
    expect(invalidatesToken(failure("Unregistered", 410, after), registered)).toBe(true);
    expect(invalidatesToken(failure("Unregistered", 410), registered)).toBe(true);
  });

  it("never for a success", () => {
    expect(invalidatesToken({ ok: true, status: 200, apnsId: "x", attempts: 1 }, registered)).toBe(
      false,
    );
  });
});
