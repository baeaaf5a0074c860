import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROBE_BASELINE } from "./model";
import { baselineForInterval, DEFAULT_BASELINE, initialBaseline, median, observeLatency, quantileSorted, withWindow, type BaselineOptions } from "./baseline";
import { applyResult, DEFAULT_CHECK_POLICY, initialTrack } from "./check-health";

/** 40 ms ± 2 ms of deterministic noise. */
function noise(n: number, seed = 7): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return 40 + ((x / 2 ** 31) * 4 - 2);
  });
}
function feed(values: number[], options: BaselineOptions = DEFAULT_BASELINE) {
  const state = initialBaseline();
  return { state, verdicts: values.map((v) => observeLatency(state, v, options)) };
}

describe("latency baseline (rolling median + MAD)", () => {
  it("judges nothing before min_samples", () => {
    const { verdicts } = feed([...noise(10), 500]);
    expect(verdicts.at(-1)).toMatchObject({ outlier: false, anomalous: false, median: null, score: null });
  });
  it("flags a value far above its own baseline, saying the baseline, the value and the window", () => {
    const { verdicts } = feed([...noise(100), 90]);
    const v = verdicts.at(-1)!;
    expect(v).toMatchObject({ outlier: true, anomalous: true, started: true, value: 90, samples: 100 });
    expect(v.median).toBeCloseTo(40, 0);
    expect(v.mad!).toBeGreaterThan(0.5);
    expect(v.score!).toBeGreaterThan(DEFAULT_BASELINE.threshold);
    expect(verdicts.slice(0, -1).some((x) => x.anomalous)).toBe(false);
  });
  it("ends an anomaly after `clear` normal samples", () => {
    const options = { ...DEFAULT_BASELINE, clear: 3 };
    const { verdicts } = feed([...noise(100), 90, ...noise(3, 99)], options);
    expect(verdicts.slice(-4).map((v) => [v.anomalous, v.ended])).toEqual([
      [true, false],
      [true, false],
      [true, false],
      [false, true],
    ]);
    const held = feed([...noise(100), 90, ...noise(DEFAULT_BASELINE.clear, 99)]).verdicts;
    expect(held.slice(-DEFAULT_BASELINE.clear - 1).map((v) => v.anomalous)).toEqual([...Array<boolean>(DEFAULT_BASELINE.clear).fill(true), false]);
  });
  it("keeps a lasting excursion an anomaly under novelty_quantile (only the first outlier of a run must be new)", () => {
    const slow = Array.from({ length: 20 }, () => 120);
    const v = feed([...noise(300), ...slow], { ...DEFAULT_BASELINE, novelty_quantile: 0.995 }).verdicts;
    expect(v.slice(-20).every((x) => x.anomalous)).toBe(true);
  });
  it("waits for `confirm` outliers in a row when asked", () => {
    const options = { ...DEFAULT_BASELINE, confirm: 2 };
    expect(feed([...noise(100), 90, 40], options).verdicts.some((v) => v.anomalous)).toBe(false);
    expect(feed([...noise(100), 90, 95], options).verdicts.at(-1)).toMatchObject({ anomalous: true, started: true });
  });
  it("flags a drop far below the baseline too, unless only slowness is asked for", () => {
    expect(feed([...noise(100), 5]).verdicts.at(-1)?.anomalous).toBe(true);
    expect(feed([...noise(100), 5], { ...DEFAULT_BASELINE, direction: "high" }).verdicts.at(-1)?.anomalous).toBe(false);
  });
  it("does not flag jitter on a flat series (the MAD floor)", () => {
    const flat = Array.from({ length: 100 }, () => 20);
    expect(feed([...flat, 20.4, 20.2]).verdicts.some((v) => v.outlier)).toBe(false);
  });
  it("learns a lasting shift as the new normal, or keeps flagging it when outliers are not learned", () => {
    const shifted = [...noise(100), ...noise(200, 3).map((x) => x + 60)];
    const learned = feed(shifted).verdicts;
    expect(learned.at(-1)?.anomalous).toBe(false);
    expect(feed(shifted, { ...DEFAULT_BASELINE, learn_outliers: false }).verdicts.at(-1)?.anomalous).toBe(true);
  });
  it("needs a material change from the median when min_change_ratio is set (a tight series does not flag +25 %)", () => {
    const tight = noise(100).map((x) => 40 + (x - 40) / 10); // 40 ± 0.2 ms: the MAD floor (2 % of 40) rules
    const plain = { ...DEFAULT_BASELINE, min_change_ratio: 0, confirm: 1, instant_score: 0 };
    expect(feed([...tight, 50], plain).verdicts.at(-1)).toMatchObject({ outlier: true, anomalous: true });
    expect(feed([...tight, 50], { ...plain, min_change_ratio: 0.3 }).verdicts.at(-1)).toMatchObject({ outlier: false, anomalous: false });
    expect(feed([...tight, 60], { ...plain, min_change_ratio: 0.3 }).verdicts.at(-1)).toMatchObject({ outlier: true, anomalous: true });
  });
  it("lets one sample past instant_score through at once, while moderate outliers wait for `confirm`", () => {
    const options = { ...DEFAULT_BASELINE, confirm: 3, instant_score: 30, threshold: 6, min_change_ratio: 0, novelty_quantile: 0 };
    const moderate = feed([...noise(100), 50, 50], options).verdicts;
    expect(moderate.at(-1)).toMatchObject({ outlier: true, anomalous: false });
    expect(feed([...noise(100), 50, 50, 50], options).verdicts.at(-1)).toMatchObject({ anomalous: true, started: true });
    const huge = feed([...noise(100), 400], options).verdicts.at(-1)!;
    expect(huge.score!).toBeGreaterThan(30);
    expect(huge).toMatchObject({ anomalous: true, started: true });
  });
  it("floors the MAD at a fraction of the longer-run spread, so a quiet spell does not turn ordinary noise into outliers", () => {
    const wide = noise(600, 5).map((x) => 40 + (x - 40) * 5); // ± 10 ms for a long time
    const quiet = noise(100, 9).map((x) => 40 + (x - 40) / 4); // then ± 0.5 ms for a while
    const options = { ...DEFAULT_BASELINE, window: 60, min_samples: 30, confirm: 1, min_change_ratio: 0, instant_score: 0, min_mad_spread: 0 };
    const bump = [...wide, ...quiet, 50];
    expect(feed(bump, options).verdicts.at(-1)?.outlier).toBe(true);
    const floored = feed(bump, { ...options, min_mad_spread: 0.5, spread_halflife: 2000 });
    expect(floored.verdicts.at(-1)?.outlier).toBe(false);
    expect(floored.state.spread!).toBeGreaterThan(2);
    // a real excursion is still one
    expect(feed([...wide, ...quiet, 120], { ...options, min_mad_spread: 0.5, spread_halflife: 2000 }).verdicts.at(-1)?.outlier).toBe(true);
  });
  it("does not flag a spike that recurs in the window when novelty_quantile is set (an hourly job), but does flag a new high", () => {
    // 40 ± 2 ms with a 70 ms spike every 12th sample (8 % of the window)
    const hourly = noise(300).map((x, i) => (i % 12 === 11 ? 70 : x));
    const options = { ...DEFAULT_BASELINE, confirm: 1, min_change_ratio: 0, min_mad_spread: 0, novelty_quantile: 0 };
    expect(feed([...hourly, 70], options).verdicts.at(-1)?.outlier).toBe(true);
    expect(feed([...hourly, 70], { ...options, novelty_quantile: 0.99 }).verdicts.at(-1)?.outlier).toBe(false);
    expect(feed([...hourly, 120], { ...options, novelty_quantile: 0.99 }).verdicts.at(-1)).toMatchObject({ outlier: true, anomalous: true });
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantileSorted([1, 2, 3, 4], 0.99)).toBe(4);
  });
  it("reads options of the old shape (no new fields) as before: no change floor, no instant start, no spread floor", () => {
    const old: BaselineOptions = { window: 288, threshold: 6, min_samples: 48, confirm: 1, clear: 3, min_mad_ms: 1, min_mad_ratio: 0.02, learn_outliers: true, direction: "both" };
    const tight = noise(100).map((x) => 40 + (x - 40) / 10);
    expect(feed([...tight, 50], old).verdicts.at(-1)).toMatchObject({ outlier: true, anomalous: true });
    expect(feed([...noise(100), 5], old).verdicts.at(-1)?.anomalous).toBe(true);
  });
  it("scales the hold-down and the spread's half-life to a check's interval, keeping their durations", () => {
    const probe = baselineForInterval(DEFAULT_BASELINE, 30_000);
    expect(probe.clear * 30_000).toBe(DEFAULT_BASELINE.clear * 300_000);
    expect(probe.spread_halflife! * 30_000).toBe(DEFAULT_BASELINE.spread_halflife! * 300_000);
    expect(probe.window).toBe(DEFAULT_BASELINE.window);
    expect(baselineForInterval(DEFAULT_BASELINE, 1_000).clear).toBe(120);
    expect(baselineForInterval(DEFAULT_BASELINE, 3_600_000).clear).toBe(DEFAULT_BASELINE.clear);
    expect(() => baselineForInterval(DEFAULT_BASELINE, 0)).toThrow(/interval_ms/);
    expect(baselineForInterval(DEFAULT_BASELINE, 30_000, undefined, [DEFAULT_BASELINE.clear, 20]).clear).toBe(20);
  });
  it("ends a 30 s probe's anomaly after 10 minutes of normal checks, not the 30 of 5-minute points", () => {
    expect(PROBE_BASELINE.clear * 30_000).toBe(10 * 60_000);
  });
  it("judges a check over its own baseline_window: a spike after 30 samples is an anomaly with a window of 24, not yet judged with the default (48 samples first)", () => {
    const results = [...noise(30), 400].map((v, i) => ({ check_id: "c", time: i * 300_000, ok: true, latency_ms: v }));
    const run = (baseline_window: number | null) => {
      const track = initialTrack();
      for (const r of results) applyResult(track, r, { ...DEFAULT_CHECK_POLICY, baseline: "by_interval", baseline_window });
      return track;
    };
    expect(run(24)).toMatchObject({ health: "degraded", anomaly: { value_ms: 400, window: 24 } });
    expect(run(null)).toMatchObject({ health: "up", anomaly: null });
    expect(withWindow(DEFAULT_BASELINE, 24)).toMatchObject({ window: 24, min_samples: 24 });
    expect(withWindow(DEFAULT_BASELINE, 24)).toBe(withWindow(DEFAULT_BASELINE, 24));
  });
  it("keeps at most `window` samples", () => {
    const { state } = feed(noise(500), { ...DEFAULT_BASELINE, window: 50 });
    expect(state.samples).toHaveLength(50);
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });
});

const DIR = path.resolve(process.cwd(), "../shared/datasets/latency");
const present = fs.existsSync(path.join(DIR, "anomaly_windows.json"));
describe.skipIf(!present)("latency baseline on NAB's labelled EC2 latency series (skipped when ../shared/datasets/latency is absent)", () => {
  it("finds the three labelled windows with the default options and raises no false flag", () => {
    const labels = JSON.parse(fs.readFileSync(path.join(DIR, "anomaly_windows.json"), "utf8")) as Record<string, [string, string][]>;
    const file = "ec2_request_latency_system_failure.csv";
    const stamp = (t: string) => Date.parse(`${t.trim().replace(" ", "T").slice(0, 23)}Z`);
    const windows = labels[file].map(([a, b]) => [stamp(a), stamp(b)]);
    const rows = fs.readFileSync(path.join(DIR, file), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    const state = initialBaseline();
    const found = new Set<number>();
    let falseFlags = 0;
    for (const [t, v] of rows) {
      const verdict = observeLatency(state, Number(v));
      if (!verdict.anomalous) continue;
      const w = windows.findIndex(([a, b]) => stamp(t) >= a && stamp(t) <= b);
      if (w >= 0) found.add(w);
      else if (verdict.started) falseFlags++;
    }
    expect(found.size).toBe(3);
    expect(falseFlags).toBe(0);
  });
});
