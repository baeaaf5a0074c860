import { describe, expect, it } from "vitest";
import { BruteForceDetector } from "./brute-force";

const fail = (time: number, src_ip: string | null = "203.0.113.9") => ({ time, src_ip });

describe("BruteForceDetector", () => {
  it("fires once the threshold is reached within the window, counting the whole burst", () => {
    const d = new BruteForceDetector({ threshold: 5, windowMs: 60_000 });
    const results = [0, 1, 2, 3, 4].map((i) => d.observe(fail(i * 1000)));
    expect(results.slice(0, 4)).toEqual([null, null, null, null]);
    expect(results[4]).toMatchObject({ rule: "brute_force", entity: "203.0.113.9", increment: 5, pane: "security" });
  });

  it("adds one per further failure while the burst goes on", () => {
    const d = new BruteForceDetector({ threshold: 3, windowMs: 60_000 });
    [0, 1, 2].forEach((i) => d.observe(fail(i)));
    expect(d.observe(fail(3))).toMatchObject({ increment: 1 });
  });

  it("does not fire for failures spread wider than the window", () => {
    const d = new BruteForceDetector({ threshold: 3, windowMs: 10_000 });
    expect([0, 6_000, 12_000, 18_000, 24_000].map((t) => d.observe(fail(t)))).toEqual([null, null, null, null, null]);
  });

  it("keeps sources apart", () => {
    const d = new BruteForceDetector({ threshold: 3 });
    d.observe(fail(0, "a"));
    d.observe(fail(1, "a"));
    expect(d.observe(fail(2, "b"))).toBeNull();
    expect(d.observe(fail(3, "a"))).toMatchObject({ entity: "a" });
  });

  it("ignores failures without a source address", () => {
    const d = new BruteForceDetector({ threshold: 1 });
    expect(d.observe(fail(0, null))).toBeNull();
  });

  it("bounds the sources it tracks", () => {
    const d = new BruteForceDetector({ maxSources: 100 });
    for (let i = 0; i < 1000; i++) d.observe(fail(i, `10.0.${i >> 8}.${i & 255}`));
    expect(d.trackedSources).toBe(100);
  });
});
