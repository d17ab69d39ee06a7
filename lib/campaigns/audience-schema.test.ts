import { describe, expect, it } from "vitest";
import { AUDIENCE_LIST_MAX, audienceSchema, EMPTY_SEGMENT_MESSAGE } from "./audience-schema";

const token = (n: number) => n.toString(16).padStart(64, "0");

describe("audienceSchema", () => {
  it("accepts { all: true }", () => {
    expect(audienceSchema.parse({ all: true })).toEqual({ all: true });
  });

  it("trims, deduplicates and drops empty lists", () => {
    expect(
      audienceSchema.parse({
        tags: { any: [" beta ", "beta"], none: [] },
        locales: ["fr_CA", "FR-ca", "en"],
        appVersions: ["2.0 ", "2.0"],
        userIds: [],
        tokens: [token(1).toUpperCase(), token(1)],
        registeredWithinDays: 30,
      }),
    ).toEqual({
      tags: { any: ["beta"] },
      locales: ["fr-ca", "en"],
      appVersions: ["2.0"],
      tokens: [token(1)],
      registeredWithinDays: 30,
    });
  });

  it("refuses an empty segment with a clear message", () => {
    for (const empty of [{}, { tags: {} }, { locales: [], tags: { any: [] } }]) {
      const result = audienceSchema.safeParse(empty);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toBe(EMPTY_SEGMENT_MESSAGE);
    }
  });

  it("refuses all combined with conditions, unknown fields and bad values, with field paths", () => {
    const paths = (input: unknown) =>
      audienceSchema.safeParse(input).error?.issues.map((i) => i.path.join("."));
    expect(paths({ all: true, locales: ["fr"] })).toEqual(["all"]);
    expect(paths({ all: false })).toEqual(["all"]);
    expect(paths({ country: ["FR"] })).toEqual([""]);
    expect(paths({ locales: ["fr%"] })).toEqual(["locales.0"]);
    expect(paths({ tokens: ["xyz"] })).toContain("tokens.0");
    expect(paths({ registeredWithinDays: 0 })).toEqual(["registeredWithinDays"]);
    expect(paths({ tags: { some: ["a"] } })).toEqual(["tags"]);
  });

  it("takes 100,000 user ids and refuses one more", () => {
    const ids = Array.from({ length: AUDIENCE_LIST_MAX }, (_, i) => `user-${i}`);
    expect(audienceSchema.parse({ userIds: ids })).toEqual({ userIds: ids });
    const over = audienceSchema.safeParse({ userIds: [...ids, "one-more"] });
    expect(over.error?.issues[0]?.message).toBe("userIds: at most 100,000 values");
  });
});
