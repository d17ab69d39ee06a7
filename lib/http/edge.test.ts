import { expect, it } from "vitest";
import { malformedRequest } from "./edge";

it.each([
  ["/api/v1/devices", "localhost:3000", null],
  ["/devices?q=%FF", "push.example.com", null], // the query is Next's to parse leniently
  ["/devices/users/caf%C3%A9", "[::1]:3000", null],
  ["/x", undefined, null], // HTTP/1.0 without Host
  ["/api/v1/users/%FF/devices", "localhost", "percent-encoding"],
  ["/devices/%E0%A4%A", "localhost", "percent-encoding"],
  ["/x", "a b", "Host"],
  ["/x", "example.com/path", "Host"],
  ["/x", "example.com:99999999", "Host"],
  ["http://push.example.com/api/v1/devices", "push.example.com", null], // absolute form
  ["http://push.example.com/%FF", "push.example.com", "percent-encoding"],
  ["*", "localhost", "path"],
])("%s with Host %j → %s", (url, host, problem) => {
  const result = malformedRequest({ url, headers: host === undefined ? {} : { host } });
  if (problem === null) expect(result).toBeNull();
  else expect(result).toContain(problem);
});
