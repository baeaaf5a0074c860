import { describe, expect, it } from "vitest";
import type { LatencyPoint } from "@/lib/contracts/figures";
import { shownWindow } from "./latency-window";

const MIN = 60_000;
const point = (k: number, count: number): LatencyPoint => ({ t: k * MIN, count, failures: 0, p50: count ? 5 : null, p95: count ? 9 : null, p99: count ? 9 : null, max: count ? 9 : null });
const range = (n: number, firstWithData: number) => Array.from({ length: n }, (_, k) => point(k, k >= firstWithData ? 1 : 0));

describe("shownWindow (the part of a latency range a chart draws)", () => {
  it("a node checked for the last 5 of 720 points shows those 5, and says since when it has checks", () => {
    const w = shownWindow(range(720, 715));
    expect(w.points).toHaveLength(5);
    expect(w.points[0].t).toBe(715 * MIN);
    expect(w.since).toBe(715 * MIN);
  });

  it("a node with one point of checks shows it with the point before (an area needs two)", () => {
    const w = shownWindow(range(720, 719));
    expect(w.points.map((p) => p.t)).toEqual([718 * MIN, 719 * MIN]);
    expect(w.since).toBe(719 * MIN);
  });

  it("a larger minimum keeps that many points", () => {
    const w = shownWindow(range(720, 715), 30);
    expect(w.points).toHaveLength(30);
    expect(w.points[0].t).toBe(690 * MIN);
  });

  it("a node checked for half the range starts at its first check", () => {
    const w = shownWindow(range(720, 360));
    expect(w.points[0].t).toBe(360 * MIN);
    expect(w.points).toHaveLength(360);
    expect(w.since).toBe(360 * MIN);
  });

  it("a range with data at its start, or none at all, is drawn whole", () => {
    const full = range(100, 0);
    expect(shownWindow(full)).toEqual({ points: full, since: null });
    const none = range(100, 1000);
    expect(shownWindow(none)).toEqual({ points: none, since: null });
  });

  it("a short range is never cut below the minimum", () => {
    const w = shownWindow(range(20, 19), 30);
    expect(w.points).toHaveLength(20);
    expect(w.since).toBe(19 * MIN);
  });
});
