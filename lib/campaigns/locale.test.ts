import { describe, expect, it } from "vitest";
import { isLanguageTag, messageLocales, resolveLocale } from "./locale";

describe("resolveLocale", () => {
  const available = ["fr", "fr-CA", "zh-Hant", "pt-BR"];

  it("takes the exact locale first", () => {
    expect(resolveLocale("fr-CA", available)).toBe("fr-CA");
  });

  it("falls back to the language, then to the default (null)", () => {
    expect(resolveLocale("fr-BE", available)).toBe("fr");
    expect(resolveLocale("fr", available)).toBe("fr");
    expect(resolveLocale("de-DE", available)).toBeNull();
    expect(resolveLocale("pt-PT", available)).toBeNull();
    expect(resolveLocale("en", [])).toBeNull();
  });

  it("has no locale: the default", () => {
    expect(resolveLocale(null, available)).toBeNull();
    expect(resolveLocale("", available)).toBeNull();
  });

  it("ignores case and reads iOS's underscore and @-keywords", () => {
    expect(resolveLocale("FR_ca", available)).toBe("fr-CA");
    expect(resolveLocale("fr_CA@calendar=gregorian", available)).toBe("fr-CA");
    expect(resolveLocale("fr-ca", ["FR-CA"])).toBe("FR-CA");
  });

  it("drops subtags from the right, skipping a dangling single-letter one", () => {
    expect(resolveLocale("zh-Hant-TW", available)).toBe("zh-Hant");
    expect(resolveLocale("zh-Hans-CN", ["zh"])).toBe("zh");
    expect(resolveLocale("de-x-phonebk", ["de-x", "de"])).toBe("de");
  });

  it("returns the first spelling when two entries are the same locale", () => {
    expect(resolveLocale("fr-CA", ["fr_CA", "fr-CA"])).toBe("fr_CA");
  });
});

describe("messageLocales", () => {
  it("lists the localizations in the author's order", () => {
    expect(messageLocales({ localizations: { fr: L, de: L, "fr-CA": L } })).toEqual([
      "fr",
      "de",
      "fr-CA",
    ]);
    expect(messageLocales({ localizations: {} })).toEqual([]);
  });
});

describe("isLanguageTag", () => {
  it("accepts BCP 47 tags", () => {
    for (const tag of ["fr", "fr-CA", "zh-Hant-TW", "es-419", "sr-Latn", "en-US-u-ca-gregory"]) {
      expect(isLanguageTag(tag), tag).toBe(true);
    }
  });

  it("refuses what is not one", () => {
    for (const tag of ["fr_CA", "f", "french!", "fr-", "", "-CA", "en-US-US", "123"]) {
      expect(isLanguageTag(tag), tag).toBe(false);
    }
  });
});

const L = { title: "t", subtitle: "", body: "" };
