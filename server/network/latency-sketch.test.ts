import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_RELATIVE_ACCURACY, LatencySketch, MAX_VALUE_MS, SketchFormatError } from "./latency-sketch";

const ALPHA = DEFAULT_RELATIVE_ACCURACY;
const QS = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];

/** The exact lower quantile the sketch promises to approach: the sorted value at rank ⌊q·(n−1)⌋. */
function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}
function sketchOf(values: readonly number[], alpha = ALPHA): LatencySketch {
  const s = new LatencySketch(alpha);
  for (const v of values) s.add(v);
  return s;
}
/** Every quantile of QS within α of the exact one (a hair of float slack). */
function expectWithinError(s: LatencySketch, values: readonly number[], alpha = ALPHA): void {
  const sorted = [...values].sort((a, b) => a - b);
  const together = s.quantiles([...QS].reverse()).reverse();
  QS.forEach((q, i) => {
    const exact = exactQuantile(sorted, q);
    for (const est of [s.quantile(q)!, together[i]!]) expect(Math.abs(est - exact), `q=${q} exact=${exact} est=${est}`).toBeLessThanOrEqual(alpha * exact * (1 + 1e-9) + 1e-12);
  });
}
/** Deterministic pseudo-random numbers (LCG), so failures reproduce. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

describe("latency sketch", () => {
  it("is empty until something is added", () => {
    const s = new LatencySketch();
    expect([s.count, s.min, s.max, s.sum, s.mean, s.quantile(0.5), s.binCount]).toEqual([0, null, null, 0, null, null, 0]);
  });

  it("keeps count, min, max and sum exactly and answers 1…100 within 1 %", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const s = sketchOf(values);
    expect([s.count, s.min, s.max, s.sum, s.mean]).toEqual([100, 1, 100, 5050, 50.5]);
    expect(s.quantile(0)).toBe(1);
    expect(s.quantile(1)).toBe(100);
    // rank ⌊0.5·99⌋ = 49 → 50; ⌊0.95·99⌋ = 94 → 95; ⌊0.99·99⌋ = 98 → 99
    expect(Math.abs(s.quantile(0.5)! - 50)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(s.quantile(0.95)! - 95)).toBeLessThanOrEqual(0.95);
    expect(Math.abs(s.quantile(0.99)! - 99)).toBeLessThanOrEqual(0.99);
    expectWithinError(s, values);
  });

  it("never answers outside [min, max], so a single value comes back exactly", () => {
    const s = sketchOf([42.17]);
    for (const q of QS) expect(s.quantile(q)).toBe(42.17);
  });

  it("counts zero and sub-microsecond latencies in the zero bin and answers them as the minimum", () => {
    const s = sketchOf([0, 0.0004, 0, 10, 10]);
    expect(s.count).toBe(5);
    expect(s.binCount).toBe(2);
    expect(s.quantile(0.5)).toBe(0);
    expect(s.quantile(0.99)).toBeCloseTo(10, 0);
  });

  it("puts values beyond the indexed range in the top bin but keeps the exact maximum", () => {
    const s = sketchOf([5, 3 * MAX_VALUE_MS, 4 * MAX_VALUE_MS]);
    expect(s.max).toBe(4 * MAX_VALUE_MS);
    expect(s.quantile(1)).toBe(4 * MAX_VALUE_MS);
    expect(s.binCount).toBe(2);
  });

  it("refuses negative or non-finite latencies and quantiles outside 0…1", () => {
    const s = new LatencySketch();
    expect(() => s.add(-1)).toThrow(RangeError);
    expect(() => s.add(Number.NaN)).toThrow(RangeError);
    expect(() => s.add(Infinity)).toThrow(RangeError);
    expect(() => s.quantile(1.5)).toThrow(RangeError);
    expect(s.count).toBe(0);
  });

  it("adds a value several times at once like adding it repeatedly", () => {
    expect(new LatencySketch().add(12, 3).toJSON()).toEqual(sketchOf([12, 12, 12]).toJSON());
  });

  it("merges only sketches of the same accuracy", () => {
    expect(() => new LatencySketch(0.01).merge(new LatencySketch(0.02))).toThrow(/accuracy/);
  });

  it("stays within its bin bound however spread the values are", () => {
    const rnd = lcg(3);
    const s = new LatencySketch();
    // log-uniform from 1 µs to 10^7 ms: every bin in range is hit
    for (let i = 0; i < 200_000; i++) s.add(10 ** (rnd() * 10 - 3));
    expect(s.binCount).toBeLessThanOrEqual(s.maxBins);
    expect(s.maxBins).toBe(1153);
    expect(s.toBytes().length).toBeLessThan(4_000);
  });

  it("round-trips through bytes, base64 and JSON with the same answers", () => {
    const rnd = lcg(11);
    const s = sketchOf(Array.from({ length: 500 }, () => 20 + rnd() * 300));
    for (const copy of [LatencySketch.fromBytes(s.toBytes()), LatencySketch.fromBase64(s.toBase64()), LatencySketch.fromJSON(JSON.parse(JSON.stringify(s)))]) {
      expect(copy.toJSON()).toEqual(s.toJSON());
      for (const q of QS) expect(copy.quantile(q)).toBe(s.quantile(q));
    }
    expect(LatencySketch.fromBytes(new LatencySketch().toBytes()).count).toBe(0);
  });

  it("stores a minute of two checks in under 48 bytes", () => {
    expect(sketchOf([31.2, 35.9]).toBytes().length).toBeLessThan(48);
  });

  it("rejects truncated, padded or inconsistent bytes", () => {
    const bytes = sketchOf([10, 20, 30]).toBytes();
    expect(() => LatencySketch.fromBytes(bytes.slice(0, bytes.length - 1))).toThrow(SketchFormatError);
    expect(() => LatencySketch.fromBytes(Uint8Array.from([...bytes, 0]))).toThrow(SketchFormatError);
    expect(() => LatencySketch.fromBytes(Uint8Array.from([9, ...bytes.slice(1)]))).toThrow(SketchFormatError);
    const json = sketchOf([10, 20]).toJSON();
    expect(() => LatencySketch.fromJSON({ ...json, n: 3 })).toThrow(SketchFormatError);
    expect(() => LatencySketch.fromJSON({ ...json, b: [[100_000, 2]] })).toThrow(SketchFormatError);
  });
});

describe("latency sketch properties", () => {
  const latency = fc.double({ min: 0.001, max: 1e6, noNaN: true, noDefaultInfinity: true });

  it("answers every quantile within the relative accuracy of the exact lower quantile", () => {
    fc.assert(
      fc.property(fc.array(latency, { minLength: 1, maxLength: 400 }), fc.constantFrom(0.01, 0.02, 0.005), (values, alpha) => {
        expectWithinError(sketchOf(values, alpha), values, alpha);
      }),
      { numRuns: 300 },
    );
  });

  it("merges exactly: any grouping and order gives the bins of one sketch fed everything", () => {
    fc.assert(
      fc.property(fc.array(latency, { maxLength: 60 }), fc.array(latency, { maxLength: 60 }), fc.array(latency, { maxLength: 60 }), (a, b, c) => {
        const left = sketchOf(a).merge(sketchOf(b)).merge(sketchOf(c));
        const right = sketchOf(a).merge(sketchOf(c).merge(sketchOf(b)));
        const whole = sketchOf([...a, ...b, ...c]);
        for (const s of [left, right]) {
          const { sum, ...rest } = s.toJSON();
          const { sum: wholeSum, ...wholeRest } = whole.toJSON();
          expect(rest).toEqual(wholeRest);
          expect(sum).toBeCloseTo(wholeSum, 6);
          for (const q of QS) expect(s.quantile(q)).toBe(whole.quantile(q));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("answers several quantiles in one pass, in any order, as it answers them one by one", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(latency, fc.constant(0)), { maxLength: 200 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }), (values, qs) => {
        const s = sketchOf(values);
        expect(s.quantiles(qs)).toEqual(qs.map((q) => s.quantile(q)));
      }),
    );
  });

  it("round-trips any sketch through bytes", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(latency, fc.constant(0)), { maxLength: 200 }), (values) => {
        const s = sketchOf(values);
        expect(LatencySketch.fromBytes(s.toBytes()).toJSON()).toEqual(s.toJSON());
      }),
    );
  });
});

const DIR = path.resolve(process.cwd(), "../shared/datasets/latency");
const FILE = path.join(DIR, "ec2_request_latency_system_failure.csv");
describe.skipIf(!fs.existsSync(FILE))("latency sketch on NAB's real EC2 request latency series (skipped when ../shared/datasets/latency is absent)", () => {
  const rows = fs.readFileSync(FILE, "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
  const values = rows.map(([, v]) => Number(v)).filter(Number.isFinite);

  it("answers p1…p99.9 of all 4,032 points within 1 %", () => {
    expect(values).toHaveLength(4032);
    expectWithinError(sketchOf(values), values);
  });

  it("gives the same answers from hourly sketches merged as from one sketch of the series", () => {
    const hours: LatencySketch[] = [];
    for (let i = 0; i < values.length; i += 12) hours.push(sketchOf(values.slice(i, i + 12)));
    const merged = hours.reduce((acc, h) => acc.merge(h), new LatencySketch());
    const whole = sketchOf(values);
    for (const q of QS) expect(merged.quantile(q)).toBe(whole.quantile(q));
    expectWithinError(merged, values);
    // each hour's own p95 is within 1 % of the exact one too
    for (let i = 0; i < hours.length; i++) expectWithinError(hours[i], values.slice(i * 12, i * 12 + 12));
  });
});
