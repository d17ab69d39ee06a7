import { describe, expect, it } from "vitest";

import { parseErrorBody } from "./outcome";

describe("parseErrorBody", () => {
  it("reads APNs' reason and 410 timestamp", () => {
    expect(parseErrorBody('{"reason":"Unregistered","timestamp":1700000000000}')).toStrictEqual({
      reason: "Unregistered",
      timestamp: 1_700_000_000_000,
    });
    expect(parseErrorBody('{"reason":"Unregistered","timestamp":"1700000000000"}')).toMatchObject({
      timestamp: 1_700_000_000_000,
    });
  });

  it("treats a null, empty or non-numeric timestamp as absent, never as 0 (the epoch)", () => {
    for (const timestamp of ["null", '""', '"soon"', "true", "[]", '" "']) {
      expect(parseErrorBody(`{"reason":"Unregistered","timestamp":${timestamp}}`)).toStrictEqual({
        reason: "Unregistered",
        timestamp: undefined,
      });
    }
  });

  it("tolerates bodies that are not APNs' JSON", () => {
    expect(parseErrorBody("")).toStrictEqual({});
    expect(parseErrorBody("<html>")).toStrictEqual({});
    expect(parseErrorBody('{"reason":42}')).toStrictEqual({
      reason: undefined,
      timestamp: undefined,
    });
  });
});
