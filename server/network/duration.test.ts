import { describe, expect, it } from "vitest";
import { DurationError, durationMs, formatDuration, parseDuration } from "./duration";

describe("parseDuration", () => {
  it("reads the units the config uses", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("2d")).toBe(172_800_000);
    expect(parseDuration(" 10s ")).toBe(10_000);
  });
  it("adds compound parts from the largest unit down, and fractions", () => {
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("1m30s500ms")).toBe(90_500);
    expect(parseDuration("1.5s")).toBe(1500);
    expect(parseDuration("0.25ms")).toBe(0);
  });
  it.each([
    ["", "empty"],
    ["30", "a unit is needed"],
    ["5 m", "unexpected"],
    ["-5s", "unexpected"],
    ["5x", "unexpected"],
    ["1e3s", "unexpected"],
    ["30s1m", "largest to the smallest"],
    ["1s1s", "largest to the smallest"],
    ["400d", "longer than 366 days"],
  ])("refuses %j (%s)", (input, reason) => {
    expect(() => parseDuration(input)).toThrow(DurationError);
    expect(() => parseDuration(input)).toThrow(reason);
  });
  it("takes numbers from code as milliseconds, strings with units", () => {
    expect(durationMs(250)).toBe(250);
    expect(durationMs("2s")).toBe(2000);
    expect(() => durationMs(-1)).toThrow(DurationError);
    expect(() => durationMs(Number.NaN)).toThrow(DurationError);
  });
  it("formats back to a spelling that parses to the same value", () => {
    for (const ms of [0, 1, 500, 1000, 90_000, 5_400_000, 86_400_000 + 1, 3_723_004]) expect(parseDuration(formatDuration(ms))).toBe(ms);
    expect(formatDuration(90_000)).toBe("1m30s");
  });
});
