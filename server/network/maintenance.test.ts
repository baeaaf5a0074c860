import { describe, expect, it } from "vitest";
import { maintenanceAt, maintenanceWindowSchema, type MaintenanceWindow } from "./maintenance";
import { offsetAt, zonedToUtc } from "./zoned-time";

const at = (iso: string) => Date.parse(iso);
const windows = (...specs: unknown[]): MaintenanceWindow[] => specs.map((s) => maintenanceWindowSchema.parse(s));

describe("zonedToUtc", () => {
  it("maps Berlin wall time to instants in winter and summer", () => {
    expect(zonedToUtc({ year: 2026, month: 1, day: 10 }, 120, "Europe/Berlin")).toBe(at("2026-01-10T01:00:00Z"));
    expect(zonedToUtc({ year: 2026, month: 7, day: 11 }, 120, "Europe/Berlin")).toBe(at("2026-07-11T00:00:00Z"));
    expect(offsetAt(at("2026-07-11T00:00:00Z"), "Europe/Berlin")).toBe(7_200_000);
  });
  it("moves a time skipped by spring-forward later by the gap, and takes the earlier of a repeated time", () => {
    // 2026-03-29 02:30 does not exist in Berlin: it reads as 03:30 CEST
    expect(zonedToUtc({ year: 2026, month: 3, day: 29 }, 150, "Europe/Berlin")).toBe(at("2026-03-29T01:30:00Z"));
    // 2026-10-25 02:30 happens twice: the first one, still CEST
    expect(zonedToUtc({ year: 2026, month: 10, day: 25 }, 150, "Europe/Berlin")).toBe(at("2026-10-25T00:30:00Z"));
    expect(zonedToUtc({ year: 2026, month: 3, day: 8 }, 150, "America/New_York")).toBe(at("2026-03-08T07:30:00Z"));
  });
});

describe("maintenanceAt", () => {
  it("holds a one-off window from its start up to, not including, its end", () => {
    const w = windows({ start: "2026-11-21T10:00:00Z", end: "2026-11-21T12:00:00Z", reason: "core switch swap" });
    expect(maintenanceAt(w, at("2026-11-21T09:59:59Z"))).toBeNull();
    expect(maintenanceAt(w, at("2026-11-21T10:00:00Z"))).toEqual({ start: at("2026-11-21T10:00:00Z"), end: at("2026-11-21T12:00:00Z"), reason: "core switch swap" });
    expect(maintenanceAt(w, at("2026-11-21T12:00:00Z"))).toBeNull();
  });
  it("repeats a weekly window at the same local time across the DST change", () => {
    const w = windows({ days: ["sat"], start: "02:00", duration: "2h", tz: "Europe/Berlin" });
    expect(maintenanceAt(w, at("2026-01-10T01:30:00Z"))).toMatchObject({ start: at("2026-01-10T01:00:00Z"), end: at("2026-01-10T03:00:00Z") });
    expect(maintenanceAt(w, at("2026-07-11T00:30:00Z"))).toMatchObject({ start: at("2026-07-11T00:00:00Z"), end: at("2026-07-11T02:00:00Z") });
    expect(maintenanceAt(w, at("2026-07-11T02:30:00Z"))).toBeNull();
    expect(maintenanceAt(w, at("2026-07-12T00:30:00Z"))).toBeNull();
  });
  it("lasts its elapsed duration when the window itself crosses spring-forward", () => {
    // Sunday 2026-03-29 01:30 CET + 2h ends 04:30 CEST (02:30Z), not at 03:30 local
    const w = windows({ days: ["sun"], start: "01:30", duration: "2h", tz: "Europe/Berlin" });
    expect(maintenanceAt(w, at("2026-03-29T00:29:00Z"))).toBeNull();
    expect(maintenanceAt(w, at("2026-03-29T02:20:00Z"))).toEqual({ start: at("2026-03-29T00:30:00Z"), end: at("2026-03-29T02:30:00Z"), reason: null });
    expect(maintenanceAt(w, at("2026-03-29T02:30:00Z"))).toBeNull();
    // and across fall-back: 01:30 CEST + 2h ends 02:30 CET (01:30Z)
    expect(maintenanceAt(w, at("2026-10-25T01:29:00Z"))).toMatchObject({ start: at("2026-10-24T23:30:00Z"), end: at("2026-10-25T01:30:00Z") });
  });
  it("finds a daily window that started the evening before", () => {
    const w = windows({ start: "23:00", duration: "3h", tz: "UTC" });
    expect(maintenanceAt(w, at("2026-11-22T01:00:00Z"))).toMatchObject({ start: at("2026-11-21T23:00:00Z"), end: at("2026-11-22T02:00:00Z") });
  });
  it("joins touching and overlapping windows into one stretch", () => {
    const w = windows(
      { start: "2026-11-21T10:00:00Z", end: "2026-11-21T11:00:00Z" },
      { start: "2026-11-21T11:00:00Z", end: "2026-11-21T12:00:00Z", reason: "second half" },
      { start: "2026-11-21T11:30:00Z", end: "2026-11-21T12:30:00Z" },
    );
    expect(maintenanceAt(w, at("2026-11-21T10:15:00Z"))).toMatchObject({ start: at("2026-11-21T10:00:00Z"), end: at("2026-11-21T12:30:00Z") });
    expect(maintenanceAt(w, at("2026-11-21T12:15:00Z"))).toMatchObject({ start: at("2026-11-21T10:00:00Z"), end: at("2026-11-21T12:30:00Z") });
  });
  it("refuses a bad zone, time or duration with the reason", () => {
    const bad = (s: unknown) => maintenanceWindowSchema.safeParse(s).error?.issues.map((i) => i.message).join("; ");
    expect(bad({ days: ["sat"], start: "02:00", duration: "2h", tz: "Mars/Olympus" })).toContain("IANA time zone");
    expect(bad({ start: "25:00", duration: "2h", tz: "UTC" })).toContain("HH:MM");
    expect(bad({ start: "02:00", duration: "2x", tz: "UTC" })).toContain("invalid duration");
    expect(bad({ start: "2026-11-21T12:00:00Z", end: "2026-11-21T10:00:00Z" })).toContain("end must be after start");
  });
});
