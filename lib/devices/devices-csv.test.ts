import { expect, it } from "vitest";
import { csvCell, rejectsCsv } from "./devices-csv";

it("the rejects file neutralises formula cells like the export, with RFC 4180 quoting", () => {
  const text = rejectsCsv([
    { row: 4, token: '=HYPERLINK("http://evil.example")', reasons: ["token: not hex"] },
    { row: 5, token: "+1", reasons: ["a, b", "c"] },
    { row: 6, token: "@SUM(A1)", reasons: ["-x"] },
  ]);
  expect(text.split("\r\n")).toEqual([
    "row,token,reasons",
    `4,"'=HYPERLINK(""http://evil.example"")",token: not hex`,
    `5,'+1,"a, b; c"`,
    "6,'@SUM(A1),'-x",
    "",
  ]);
  expect(csvCell("=1+2")).toBe("'=1+2");
});
