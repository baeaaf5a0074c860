import { describe, expect, it } from "vitest";
import { count } from "./format";
import { compareText } from "@/lib/text-order";

describe("count writes numbers as toLocaleString('en') does, without Intl", () => {
  it("groups thousands and keeps up to three decimals, signs and zero as English does", () => {
    const values = [0, -0, 7, 999, 1000, 1234, -1234, 12_345, 999_999, 1_000_000, 123_456_789, 2 ** 53 - 1, 1234.5, 0.25, 1234.5678, -0.0004, 99.9996, 1e20];
    for (const n of values) expect(count(n), String(n)).toBe(n.toLocaleString("en"));
  });

  it("passes what is not a finite number through as text", () => {
    expect(count(NaN)).toBe("NaN");
    expect(count(Infinity)).toBe("Infinity");
  });
});

describe("compareText orders as SQLite's BINARY collation", () => {
  it("orders by code units: capitals before lower case, shorter prefix first", () => {
    expect(["node_down", "Brute", "brute_force", "brute"].sort(compareText)).toEqual(["Brute", "brute", "brute_force", "node_down"]);
    expect(compareText("a", "a")).toBe(0);
  });
});
