import { describe, expect, it } from "vitest";
import { isCalendarDate, resolveYearless, yearAt, zonedToEpoch } from "./time";

describe("zonedToEpoch", () => {
  it("reads a wall-clock time in UTC as itself", () => {
    expect(zonedToEpoch(2026, 3, 1, 12, 0, 0, 250, "UTC")).toBe(Date.UTC(2026, 2, 1, 12, 0, 0, 250));
  });

  it("reads a wall-clock time in an IANA zone with that zone's offset (summer and winter)", () => {
    expect(zonedToEpoch(2026, 1, 15, 9, 30, 0, 0, "Europe/Berlin")).toBe(Date.UTC(2026, 0, 15, 8, 30));
    expect(zonedToEpoch(2026, 7, 15, 9, 30, 0, 0, "Europe/Berlin")).toBe(Date.UTC(2026, 6, 15, 7, 30));
    expect(zonedToEpoch(2026, 7, 15, 9, 30, 0, 0, "America/New_York")).toBe(Date.UTC(2026, 6, 15, 13, 30));
    expect(zonedToEpoch(2026, 7, 15, 9, 30, 0, 0, "Asia/Kolkata")).toBe(Date.UTC(2026, 6, 15, 4, 0));
  });

  it("reads a time in the skipped spring-forward hour with the offset before the change", () => {
    // New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT; 02:30 is read as 02:30 EST = 07:30Z
    expect(zonedToEpoch(2026, 3, 8, 2, 30, 0, 0, "America/New_York")).toBe(Date.UTC(2026, 2, 8, 7, 30));
  });

  it("reads a time in the repeated fall-back hour as the earlier instant", () => {
    // New York, 1 November 2026: 01:30 happens at 05:30Z (EDT) and 06:30Z (EST)
    expect(zonedToEpoch(2026, 11, 1, 1, 30, 0, 0, "America/New_York")).toBe(Date.UTC(2026, 10, 1, 5, 30));
  });

  it("throws a RangeError for a zone the runtime does not know", () => {
    expect(() => zonedToEpoch(2026, 1, 1, 0, 0, 0, 0, "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});

describe("resolveYearless", () => {
  const now = Date.UTC(2026, 11, 1); // 1 December 2026

  it("gives a stamp without a year the current year", () => {
    expect(resolveYearless(3, 11, 22, 55, 30, 0, now, "UTC", "Mar 11 22:55:30")).toEqual({ ok: true, ms: Date.UTC(2026, 2, 11, 22, 55, 30) });
  });

  it("gives a December stamp read on 1 January the previous year", () => {
    const jan1 = Date.UTC(2027, 0, 1, 0, 5);
    expect(resolveYearless(12, 31, 23, 59, 59, 0, jan1, "UTC", "Dec 31 23:59:59")).toEqual({ ok: true, ms: Date.UTC(2026, 11, 31, 23, 59, 59) });
  });

  it("gives a 1 January stamp read in the last hours of 31 December the next year, not the current one a year back", () => {
    const eve = Date.UTC(2026, 11, 31, 23, 59, 50);
    expect(resolveYearless(1, 1, 0, 0, 5, 0, eve, "UTC", "Jan  1 00:00:05")).toEqual({ ok: true, ms: Date.UTC(2027, 0, 1, 0, 0, 5) });
    // more than a day ahead of that is still last January
    expect(resolveYearless(1, 2, 0, 0, 5, 0, eve, "UTC", "Jan  2 00:00:05")).toEqual({ ok: true, ms: Date.UTC(2026, 0, 2, 0, 0, 5) });
    expect(resolveYearless(1, 1, 0, 0, 5, 0, Date.UTC(2026, 11, 30, 12), "UTC", "Jan  1 00:00:05")).toEqual({ ok: true, ms: Date.UTC(2026, 0, 1, 0, 0, 5) });
  });

  it("keeps the current year for a stamp up to a day ahead of now (clock skew)", () => {
    expect(resolveYearless(12, 1, 20, 0, 0, 0, now, "UTC", "Dec  1 20:00:00")).toEqual({ ok: true, ms: Date.UTC(2026, 11, 1, 20) });
    expect(resolveYearless(12, 3, 0, 0, 0, 0, now, "UTC", "Dec  3 00:00:00")).toEqual({ ok: true, ms: Date.UTC(2025, 11, 3) });
  });

  it("takes the year in the configured zone, not UTC's", () => {
    // 31 Dec 2026 23:30 UTC is already 1 Jan 2027 in Tokyo: a "Jan  1 08:00" stamp there is 2027
    const late = Date.UTC(2026, 11, 31, 23, 30);
    expect(yearAt(late, "Asia/Tokyo")).toBe(2027);
    expect(resolveYearless(1, 1, 8, 0, 0, 0, late, "Asia/Tokyo", "Jan  1 08:00:00")).toEqual({ ok: true, ms: Date.UTC(2026, 11, 31, 23) });
  });

  it("puts 29 February in the latest leap year that is not in the future", () => {
    expect(resolveYearless(2, 29, 12, 0, 0, 0, now, "UTC", "Feb 29 12:00:00")).toEqual({ ok: true, ms: Date.UTC(2024, 1, 29, 12) });
  });

  it("rejects a day that no month has, naming the stamp", () => {
    const r = resolveYearless(2, 30, 12, 0, 0, 0, now, "UTC", "Feb 30 12:00:00");
    expect(r).toEqual({ ok: false, reason: 'timestamp: not a calendar date: "Feb 30 12:00:00"' });
  });

  it("rejects an hour past 23", () => {
    const r = resolveYearless(3, 1, 24, 6, 0, 0, now, "UTC", "Mar  1 24:06:00");
    expect(r.ok).toBe(false);
  });
});

describe("isCalendarDate", () => {
  it("knows leap years", () => {
    expect(isCalendarDate(2024, 2, 29)).toBe(true);
    expect(isCalendarDate(2026, 2, 29)).toBe(false);
    expect(isCalendarDate(2100, 2, 29)).toBe(false);
    expect(isCalendarDate(2000, 2, 29)).toBe(true);
  });
});
