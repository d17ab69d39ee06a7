import { describe, expect, it } from "vitest";
import { authRedirect, safeCallbackUrl, sameOriginPath } from "./callback-url";

// Each value is what the page or the action receives, i.e. after the query string was decoded once
// (`?callbackUrl=/./%09/x` arrives as "/./\t/x"). All of these would make a browser leave the site
// if they reached a Location header unchanged, or after URL normalisation.
const ATTACKS: [string, unknown][] = [
  ["protocol-relative", "//evil.example/x"],
  ["dot segment, then //", "/.//evil.example/x"],
  ["dot-dot segment, then //", "/..//evil.example/x"],
  ["several dot segments", "/a/../..//evil.example/x"],
  ["encoded dot segment", "/%2e//evil.example/x"],
  ["encoded dot segment, upper case", "/%2E//evil.example/x"],
  ["encoded dot-dot segment", "/%2e%2e//evil.example/x"],
  ["tab between the slashes", "/./\t/evil.example/x"],
  ["tab right after the slash", "/\t/evil.example/x"],
  ["newline between the slashes", "/\n/evil.example/x"],
  ["carriage return between the slashes", "/\r/evil.example/x"],
  ["NUL between the slashes", "/\u0000/evil.example/x"],
  ["backslash", "/\\evil.example/x"],
  ["dot segment, then backslash", "/./\\evil.example/x"],
  ["two backslashes", "\\\\evil.example/x"],
  ["slash and backslash", "\\/evil.example/x"],
  ["leading space", " //evil.example/x"],
  ["leading tab", "\t//evil.example/x"],
  ["absolute URL", "https://evil.example/x"],
  ["absolute URL without slashes", "https:evil.example/x"],
  ["javascript: URL", "javascript:alert(1)"],
  ["data: URL", "data:text/html,<script>alert(1)</script>"],
  ["userinfo trick", "//pushdeck.invalid@evil.example/x"],
  ["relative path", "evil.example/x"],
  ["empty", ""],
  ["not a string", 42],
  ["an array", ["/devices"]],
  ["undefined", undefined],
];

describe("safeCallbackUrl", () => {
  it.each(ATTACKS)("%s → /", (_name, value) => {
    expect(safeCallbackUrl(value)).toBe("/");
  });

  it.each(ATTACKS)("%s: sameOriginPath refuses it or keeps it on this site", (_name, value) => {
    const path = sameOriginPath(value);
    if (path === null) return;
    expect(path).toMatch(/^\/(?![/\\])/);
    expect(new URL(path, "https://pushdeck.example").origin).toBe("https://pushdeck.example");
  });

  it.each([
    ["/devices", "/devices"],
    ["/admin/audit?page=2#top", "/admin/audit?page=2#top"],
    ["/devices/./x/../y", "/devices/y"],
    ["/devices?q=//evil.example", "/devices?q=//evil.example"],
    ["/devices/%2F%2Fevil.example", "/devices/%2F%2Fevil.example"],
    ["/a\tb", "/ab"],
  ])("keeps the same-site path %j as %j", (value, expected) => {
    expect(safeCallbackUrl(value)).toBe(expected);
  });

  it.each(["/login", "/login?callbackUrl=/x", "/./login", "/api/v1/devices", "/%2e/api/x"])(
    "never returns to %j (a loop or an API)",
    (value) => {
      expect(safeCallbackUrl(value)).toBe("/");
    },
  );
});

describe("authRedirect (next-auth's redirect callback)", () => {
  const baseUrl = "https://pushdeck.example";

  it.each(ATTACKS.filter(([, value]) => typeof value === "string"))(
    "%s → the site's root",
    (_name, url) => {
      expect(authRedirect({ url: url as string, baseUrl })).toBe(`${baseUrl}/`);
    },
  );

  it("keeps paths and same-origin URLs, including /login after signing out", () => {
    expect(authRedirect({ url: "/login", baseUrl })).toBe(`${baseUrl}/login`);
    expect(authRedirect({ url: `${baseUrl}/devices?q=1`, baseUrl })).toBe(`${baseUrl}/devices?q=1`);
    expect(authRedirect({ url: `${baseUrl}/.//evil.example/x`, baseUrl })).toBe(`${baseUrl}/`);
    expect(authRedirect({ url: "https://other.example/devices", baseUrl })).toBe(`${baseUrl}/`);
  });
});
