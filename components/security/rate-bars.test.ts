import { describe, expect, it } from "vitest";
import type { RateBucket } from "@/lib/contracts/events";
import { compactCount, niceCeiling, RATE_MINUTES, rateColumns, stackPaths } from "./rate-bars";

const MINUTE = 60_000;
const now = Date.UTC(2026, 10, 21, 10, 30, 20);
const last = Date.UTC(2026, 10, 21, 10, 30);

describe("rateColumns", () => {
  it("gives the last hour minute by minute, oldest first, with zeros where nothing came", () => {
    const cols = rateColumns([], now);
    expect(cols).toHaveLength(RATE_MINUTES);
    expect(cols[0].minute).toBe(last - 59 * MINUTE);
    expect(cols.at(-1)!.minute).toBe(last);
    expect(cols.every((c) => c.total === 0)).toBe(true);
  });
  it("adds buckets to their minute and severity, and drops those outside the hour or off the minute", () => {
    const rate: RateBucket[] = [
      { minute: last, severity: "high", count: 3 },
      { minute: last, severity: "low", count: 2 },
      { minute: last - 5 * MINUTE, severity: "critical", count: 1 },
      { minute: last - 60 * MINUTE, severity: "high", count: 99 },
      { minute: last + MINUTE, severity: "high", count: 99 },
      { minute: last - 30_000, severity: "high", count: 99 },
    ];
    const cols = rateColumns(rate, now);
    expect(cols.at(-1)).toMatchObject({ total: 5, counts: { high: 3, low: 2, critical: 0 } });
    expect(cols.at(-6)).toMatchObject({ total: 1, counts: { critical: 1 } });
    expect(cols.reduce((n, c) => n + c.total, 0)).toBe(6);
  });
});

describe("axis", () => {
  it("rounds the top up to 1, 2 or 5 times a power of ten", () => {
    expect([0, 1, 3, 10, 11, 180, 201, 4999, 5001].map(niceCeiling)).toEqual([1, 1, 5, 10, 20, 200, 500, 5000, 10000]);
  });
  it("labels counts compactly", () => {
    expect([0, 999, 1000, 1500, 25_000, 300_000, 3_000_000].map(compactCount)).toEqual(["0", "999", "1k", "1.5k", "25k", "300k", "3M"]);
  });
});

describe("stackPaths", () => {
  it("draws one path per severity present, the least severe at the bottom, heights in proportion", () => {
    const cols = rateColumns([{ minute: last, severity: "info", count: 5 }, { minute: last, severity: "critical", count: 5 }], now);
    const paths = stackPaths(cols, 600, 100, 10);
    expect(paths.map((p) => p.severity)).toEqual(["info", "critical"]);
    // the last of 60 columns, 10 px wide: info from the bottom up half the height, critical above it
    expect(paths[0].d).toBe("M590.0 50.0h9.0v50.0h-9.0z");
    expect(paths[1].d).toBe("M590.0 0.0h9.0v50.0h-9.0z");
  });
  it("draws nothing for an empty hour", () => {
    expect(stackPaths(rateColumns([], now), 600, 100, 1)).toEqual([]);
  });
});
