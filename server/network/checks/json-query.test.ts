import { describe, expect, it } from "vitest";
import { compileJsonQuery, JsonQueryError } from "./json-query";

const doc = { status: "ok", count: 3, healthy: true, off: false, none: null, checks: [{ name: "db", ms: 12 }], "x-y": { z: "1" } };
const ok = (q: string, d: unknown = doc) => compileJsonQuery(q).evaluate(d).ok;

describe("compileJsonQuery", () => {
  it("matches equality and inequality strictly", () => {
    expect(ok('$.status == "ok"')).toBe(true);
    expect(ok('$.status == "down"')).toBe(false);
    expect(ok('$.status != "down"')).toBe(true);
    expect(ok("$.count == 3")).toBe(true);
    expect(ok('$.count == "3"')).toBe(false);
    expect(ok("$.none == null")).toBe(true);
    expect(ok("$.missing == null")).toBe(false);
  });
  it("walks indexes and quoted names", () => {
    expect(ok('$.checks[0].name == "db"')).toBe(true);
    expect(ok('$["x-y"].z == "1"')).toBe(true);
    expect(ok("$.checks[1].name == null")).toBe(false);
    expect(compileJsonQuery("$.checks[0].ms").evaluate(doc).actual).toBe(12);
  });
  it("orders numbers with numbers and strings with strings only", () => {
    expect(ok("$.count >= 3")).toBe(true);
    expect(ok("$.count > 3")).toBe(false);
    expect(ok("$.checks[0].ms < 100")).toBe(true);
    expect(ok('$.status < "p"')).toBe(true);
    expect(ok('$.count < "9"')).toBe(false);
  });
  it("without an operator needs the path to exist and not be null or false", () => {
    expect(ok("$.healthy")).toBe(true);
    expect(ok("$.off")).toBe(false);
    expect(ok("$.none")).toBe(false);
    expect(ok("$.missing")).toBe(false);
    expect(ok("$.count")).toBe(true);
    expect(ok("$", [])).toBe(true);
  });
  it("never reaches the prototype chain", () => {
    expect(ok("$.constructor")).toBe(false);
    expect(ok('$["__proto__"]')).toBe(false);
    expect(ok("$.toString")).toBe(false);
    expect(ok("$.checks.length")).toBe(false);
  });
  it.each([
    ["status", "must start with $"],
    ["$.", "property name"],
    ["$.a[x]", "expected [number]"],
    ["$.a = 1", "operator"],
    ["$.a == ok", "JSON string"],
    ["$.a == {}", "JSON string"],
    ["$.a < true", "needs a number or a string"],
    ["$" + ".a".repeat(40), "path steps"],
    ["$.a == " + '"x"'.padEnd(300, " "), "longer than"],
  ])("refuses %j", (q, reason) => {
    expect(() => compileJsonQuery(q)).toThrow(JsonQueryError);
    expect(() => compileJsonQuery(q)).toThrow(reason);
  });
});
