import { expect, it } from "vitest";
import { isSameOriginRequest } from "./same-origin";

it.each([
  ["our own page", { origin: "http://localhost:3000", host: "localhost:3000" }, true],
  [
    "behind a proxy",
    {
      origin: "https://push.example.com",
      host: "10.0.0.5:3000",
      "x-forwarded-host": "push.example.com",
    },
    true,
  ],
  [
    "host names are case-insensitive",
    { origin: "http://LOCALHOST:3000", host: "localhost:3000" },
    true,
  ],
  [
    "Fetch Metadata agrees",
    { origin: "http://a", host: "a", "sec-fetch-site": "same-origin" },
    true,
  ],
  ["another site", { origin: "https://evil.example", host: "localhost:3000" }, false],
  ["another port", { origin: "http://localhost:4000", host: "localhost:3000" }, false],
  ["no Origin", { host: "localhost:3000" }, false],
  ["an opaque Origin", { origin: "null", host: "localhost:3000" }, false],
  ["garbage Origin", { origin: "::::", host: "localhost:3000" }, false],
  [
    "Fetch Metadata says cross-site",
    { origin: "http://a", host: "a", "sec-fetch-site": "cross-site" },
    false,
  ],
  [
    "same-site is not same-origin",
    { origin: "http://a", host: "a", "sec-fetch-site": "same-site" },
    false,
  ],
] as const)("%s → %s", (_what, headers, expected) => {
  expect(isSameOriginRequest(new Headers(headers))).toBe(expected);
});
