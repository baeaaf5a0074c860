import { describe, expect, it } from "vitest";
import { outsideWindow, parseInstant } from "./instant";

const ms = (v: unknown) => {
  const r = parseInstant(v);
  if (!r.ok) throw new Error(r.reason);
  return r.ms;
};
const reason = (v: unknown) => {
  const r = parseInstant(v);
  if (r.ok) throw new Error(`accepted ${JSON.stringify(v)} as ${new Date(r.ms).toISOString()}`);
  return r.reason;
};

describe("parseInstant: real instants only", () => {
  it("reads ISO-8601 with Z or an offset, with or without seconds and fractions", () => {
    expect(ms("2026-11-21T10:00:00Z")).toBe(Date.UTC(2026, 10, 21, 10));
    expect(ms("2026-11-21 10:00:00.5+01:00")).toBe(Date.UTC(2026, 10, 21, 9, 0, 0, 500));
    expect(ms("2026-11-21T10:00-0500")).toBe(Date.UTC(2026, 10, 21, 15));
    expect(ms("2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29));
    expect(ms("2026-11-21T10:00:00.123456789Z")).toBe(Date.UTC(2026, 10, 21, 10, 0, 0, 123));
  });

  it("reads epoch milliseconds and epoch seconds, as numbers or digit strings", () => {
    expect(ms(1_795_000_000_000)).toBe(1_795_000_000_000);
    expect(ms(1_795_000_000)).toBe(1_795_000_000_000);
    expect(ms("1795000000000")).toBe(1_795_000_000_000);
    expect(ms("1795000000.25")).toBe(1_795_000_000_250);
  });

  it("refuses dates that do not exist instead of rolling them over", () => {
    expect(reason("2026-02-30T00:00:00Z")).toMatch(/not a calendar date/);
    expect(reason("2025-02-29T00:00:00Z")).toMatch(/not a calendar date/);
    expect(reason("2026-13-01T00:00:00Z")).toMatch(/not a calendar date/);
    expect(reason("2026-11-21T24:06:00Z")).toMatch(/not a time of day/);
  });

  it("refuses free text, a date alone, a time without offset, negative and huge numbers", () => {
    expect(reason("hello 1")).toMatch(/not ISO-8601/);
    expect(reason("-000001-01-01T00:00:00Z")).toMatch(/not ISO-8601/);
    expect(reason("2026-11-21")).toMatch(/not ISO-8601/);
    expect(reason("2026-11-21T10:00:00")).toMatch(/no UTC offset/);
    expect(reason(-1)).toMatch(/non-negative/);
    expect(reason(2 ** 53 - 1)).toMatch(/beyond/);
    expect(reason(Number.NaN)).toMatch(/non-negative/);
    expect(reason(true)).toMatch(/number or a string/);
  });
});

describe("outsideWindow: what Vigil would store pinned on top or prune at once", () => {
  const now = Date.UTC(2026, 11, 1);
  const day = 86_400_000;
  it("accepts times inside [now - retention, now + skew]", () => {
    expect(outsideWindow(now, now, 7 * day, 300_000)).toBeNull();
    expect(outsideWindow(now + 299_000, now, 7 * day, 300_000)).toBeNull();
    expect(outsideWindow(now - 7 * day, now, 7 * day, 300_000)).toBeNull();
  });
  it("names the reason for times outside it", () => {
    expect(outsideWindow(Date.UTC(2099, 0, 1), now, 7 * day, 300_000)).toMatch(/ahead of the server's clock/);
    expect(outsideWindow(8.64e15, now, 7 * day, 300_000)).toMatch(/ahead/);
    expect(outsideWindow(0, now, 7 * day, 300_000)).toMatch(/older than the retention of 7 days/);
  });
});
