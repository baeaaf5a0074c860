import { describe, expect, it } from "vitest";
import { maintenanceWindowSchema, type MaintenanceWindow } from "./maintenance";
import { maintenanceSpans } from "./maintenance-spans";

const at = (iso: string) => Date.parse(iso);
const windows = (...specs: unknown[]): MaintenanceWindow[] => specs.map((s) => maintenanceWindowSchema.parse(s));

describe("maintenance spans over a range", () => {
  it("lists every weekly occurrence at its local time across the DST change", () => {
    const w = windows({ days: ["sun"], start: "02:00", duration: "2h", tz: "Europe/Berlin", reason: "patching" });
    const spans = maintenanceSpans(w, at("2026-10-17T00:00:00Z"), at("2026-11-01T00:00:00Z"));
    expect(spans).toEqual([
      // 02:00 CEST = 00:00Z, then 02:00 CET = 01:00Z after the 25 October change
      { start: at("2026-10-18T00:00:00Z"), end: at("2026-10-18T02:00:00Z"), reason: "patching" },
      { start: at("2026-10-25T00:00:00Z"), end: at("2026-10-25T02:00:00Z"), reason: "patching" },
    ]);
  });

  it("joins overlapping and touching windows and clips them to the range", () => {
    const w = windows(
      { start: "2026-11-21T10:00:00Z", end: "2026-11-21T11:00:00Z", reason: "first" },
      { start: "2026-11-21T11:00:00Z", end: "2026-11-21T12:00:00Z", reason: "second" },
      { start: "2026-11-21T10:30:00Z", end: "2026-11-21T10:45:00Z", reason: "inside" },
      { start: "2026-11-20T23:00:00Z", end: "2026-11-21T01:00:00Z", reason: "overnight" },
    );
    expect(maintenanceSpans(w, at("2026-11-21T00:00:00Z"), at("2026-11-21T11:30:00Z"))).toEqual([
      { start: at("2026-11-21T00:00:00Z"), end: at("2026-11-21T01:00:00Z"), reason: "overnight" },
      { start: at("2026-11-21T10:00:00Z"), end: at("2026-11-21T11:30:00Z"), reason: "second" },
    ]);
  });

  it("catches a recurring occurrence that began before the range and is still on", () => {
    const w = windows({ start: "23:00", duration: "3h", tz: "UTC" });
    expect(maintenanceSpans(w, at("2026-11-21T01:00:00Z"), at("2026-11-21T02:00:00Z"))).toEqual([{ start: at("2026-11-21T01:00:00Z"), end: at("2026-11-21T02:00:00Z"), reason: null }]);
    expect(maintenanceSpans(w, at("2026-11-21T05:00:00Z"), at("2026-11-21T06:00:00Z"))).toEqual([]);
  });
});
