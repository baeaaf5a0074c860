import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RollupBuffer } from "./rollup-buffer";
import { chartSeries, foldRecords, fromRow, mergeRecord, planChart, readChart, rollMinutes, toRow, type CheckSample, type Resolution, type RollupRecord } from "./rollup";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const ok = (s: number, latency: number | null): CheckSample => ({ time: T0 + s * 1000, ok: true, latency_ms: latency });
const fail = (s: number): CheckSample => ({ time: T0 + s * 1000, ok: false, latency_ms: 5000 });
/** A record as plain figures, for comparisons. */
const plain = (r: RollupRecord) => ({ bucket: r.bucket, count: r.count, failures: r.failures, sketch: { ...r.sketch.toJSON(), sum: Math.round(r.sketch.sum * 1e6) / 1e6 } });

describe("per-minute roll-up", () => {
  it("counts results in any order into UTC minutes, latency from successful checks only", () => {
    const records = rollMinutes([ok(70, 30), ok(30, 40), fail(100), ok(0, 20), ok(110, null), ok(50, -3)]);
    expect(records.map((r) => [r.bucket, r.count, r.failures, r.sketch.count, r.sketch.min, r.sketch.max])).toEqual([
      [T0, 3, 0, 2, 20, 40],
      [T0 + MIN, 3, 1, 1, 30, 30],
    ]);
    // the failed check's 5 s timeout is not a latency
    expect(records[1].sketch.quantile(0.99)).toBe(30);
  });

  it("folds minutes into hours and days without changing them, as if rolled from the results", () => {
    const samples = Array.from({ length: 3 * 24 * 120 }, (_, i) => (i % 97 === 0 ? fail(i * 30) : ok(i * 30, 20 + (i % 13) * 7)));
    const minutes = rollMinutes(samples);
    const before = minutes.map(plain);
    const hours = foldRecords(minutes, "hour");
    expect(hours).toHaveLength(72);
    expect(hours.reduce((s, h) => s + h.count, 0)).toBe(samples.length);
    expect(minutes.map(plain)).toEqual(before);
    const days = foldRecords(hours, "day");
    // 12:00 on the 21st for 72 h: parts of four UTC days
    expect(days.map((d) => [d.bucket, d.count])).toEqual([
      [Date.UTC(2026, 10, 21), 1440],
      [Date.UTC(2026, 10, 22), 2880],
      [Date.UTC(2026, 10, 23), 2880],
      [Date.UTC(2026, 10, 24), 1440],
    ]);
    expect(days.map(plain)).toEqual(foldRecords(minutes, "day").map(plain));
  });

  it("stores a record as a row with the sketch's bytes and reads it back", () => {
    const [r] = rollMinutes([ok(0, 21.5), ok(30, 23), fail(45)]);
    const row = toRow(r);
    expect(row.sketch).toBeInstanceOf(Uint8Array);
    expect(plain(fromRow(row))).toEqual(plain(r));
  });
});

describe("chart plan: the coarsest resolution that still answers the points", () => {
  const ranges: [string, number, number, Resolution, number, number][] = [
    // name, range, points → resolution, step, rows
    ["1 h in 60 points", HOUR, 60, "minute", MIN, 60],
    ["1 h in 600 points", HOUR, 600, "minute", MIN, 60],
    ["24 h in 288 points", DAY, 288, "minute", 5 * MIN, 1440],
    ["7 d in 168 points", 7 * DAY, 168, "hour", HOUR, 168],
    ["30 d in 720 points", 30 * DAY, 720, "hour", HOUR, 720],
    ["30 d in 180 points", 30 * DAY, 180, "hour", 4 * HOUR, 720],
    ["30 d in 30 points", 30 * DAY, 30, "day", DAY, 30],
    // 43,200 minute rows would be over the budget: hours, fewer points than asked
    ["30 d in 1,000 points", 30 * DAY, 1000, "hour", HOUR, 720],
  ];
  it.each(ranges)("%s", (_, span, points, resolution, step, rows) => {
    const to = Date.UTC(2026, 10, 21);
    expect(planChart({ from: to - span, to, points })).toEqual({ resolution, step_ms: step, from: to - span, to, rows });
  });

  it("goes coarser when the finer resolution is not kept that far back", () => {
    const now = Date.UTC(2026, 10, 21);
    const retention = { minute: 2 * DAY, hour: 90 * DAY };
    expect(planChart({ from: now - DAY, to: now, points: 1440 }, { now, retention }).resolution).toBe("minute");
    expect(planChart({ from: now - 3 * DAY, to: now, points: 1000 }, { now, retention, max_rows: 10_000 }).resolution).toBe("hour");
    expect(planChart({ from: now - 365 * DAY, to: now, points: 8760 }, { now, retention, max_rows: 10_000 }).resolution).toBe("day");
  });

  it("aligns points to whole steps so that every point holds whole records", () => {
    const plan = planChart({ from: T0 + 17 * MIN, to: T0 + 30 * DAY, points: 180 });
    expect(plan.step_ms).toBe(4 * HOUR);
    expect(plan.from % plan.step_ms).toBe(0);
    expect(plan.from).toBeLessThanOrEqual(T0 + 17 * MIN);
  });

  it("refuses an empty range or no points", () => {
    expect(() => planChart({ from: 10, to: 10, points: 5 })).toThrow(RangeError);
    expect(() => planChart({ from: 0, to: 10, points: 0 })).toThrow(RangeError);
  });
});

describe("chart series", () => {
  it("gives a point per step with merged percentiles, nulls where nothing was checked", () => {
    // four minutes: 10, 20 | 30, 40 | nothing | failures only
    const minutes = rollMinutes([ok(0, 10), ok(30, 20), ok(60, 30), ok(90, 40), fail(180), fail(210)]);
    const snapshot = minutes.map(plain);
    const plan = planChart({ from: T0, to: T0 + 4 * MIN, points: 2 });
    expect(plan).toMatchObject({ resolution: "minute", step_ms: 2 * MIN });
    const points = chartSeries(plan, minutes);
    expect(points.map((p) => [p.t, p.count, p.failures, p.max])).toEqual([
      [T0, 4, 0, 40],
      [T0 + 2 * MIN, 2, 2, null],
    ]);
    // lower quantile of 10, 20, 30, 40: rank ⌊0.5·3⌋ = 1 → 20, within 1 %
    expect(Math.abs(points[0].p50! - 20)).toBeLessThanOrEqual(0.2);
    expect(points[1]).toMatchObject({ p50: null, p95: null, p99: null });
    expect(minutes.map(plain)).toEqual(snapshot);
  });

  it("ignores records outside the plan and leaves empty points empty", () => {
    const plan = planChart({ from: T0, to: T0 + 3 * MIN, points: 3 });
    const points = chartSeries(plan, rollMinutes([ok(-30, 99), ok(60, 10), ok(200, 99)]));
    expect(points.map((p) => p.count)).toEqual([0, 1, 0]);
  });

  it("reads only the planned table over the planned range", () => {
    const calls: [Resolution, number, number][] = [];
    const hours = foldRecords(rollMinutes([ok(0, 10), ok(3600, 20)]), "hour");
    const to = T0 + 30 * DAY;
    const { plan, points } = readChart({ from: T0, to, points: 720 }, (r, from, until) => {
      calls.push([r, from, until]);
      return hours;
    });
    expect(calls).toEqual([["hour", T0, to]]);
    expect(plan.rows).toBe(720);
    expect(points.slice(0, 3).map((p) => p.count)).toEqual([1, 1, 0]);
    expect(readChart({ from: T0, to, points: 30 }, { hour: hours }).points.every((p) => p.count === 0)).toBe(true);
  });

  it("draws the same chart from hour records as from the minutes they fold", () => {
    const sample = fc.record({ s: fc.integer({ min: 0, max: 6 * 3600 }), ok: fc.boolean(), latency: fc.double({ min: 0.5, max: 2000, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 300 }), fc.integer({ min: 1, max: 12 }), (xs, points) => {
        const minutes = rollMinutes(xs.map((x) => (x.ok ? ok(x.s, x.latency) : fail(x.s))));
        const plan = { resolution: "hour" as const, step_ms: HOUR * Math.ceil(6 / points), from: T0, to: T0 + 6 * HOUR, rows: 6 };
        const fromHours = chartSeries(plan, foldRecords(minutes, "hour"));
        const fromMinutes = chartSeries({ ...plan, resolution: "minute" }, minutes);
        expect(fromHours).toEqual(fromMinutes);
      }),
      { numRuns: 100 },
    );
  });
});

describe("roll-up buffer (as checks land)", () => {
  it("hands back minute, hour and day deltas that add up to rolling everything at once, late results included", () => {
    const buffer = new RollupBuffer();
    const first = [ok(0, 10), ok(30, 12), fail(60), ok(3700, 15)];
    for (const s of first) buffer.add("edge-1", s);
    buffer.add("edge-2", ok(5, 99));
    expect(buffer.count).toBe(5);
    const d1 = buffer.drain();
    expect(buffer.heldRecords()).toEqual({ minute: 0, hour: 0, day: 0 });
    expect(d1.filter((d) => d.node === "edge-1").map((d) => [d.resolution, d.record.bucket, d.record.count])).toEqual([
      ["minute", T0, 2],
      ["minute", T0 + MIN, 1],
      ["minute", T0 + HOUR + MIN, 1],
      ["hour", T0, 3],
      ["hour", T0 + HOUR, 1],
      ["day", Date.UTC(2026, 10, 21), 4],
    ]);
    // a late result for the first minute arrives after the drain
    buffer.add("edge-1", ok(45, 11));
    const d2 = buffer.drain();
    // the store merges each delta into the row it holds
    const store = new Map<string, RollupRecord>();
    for (const d of [...d1, ...d2]) {
      const key = `${d.node}/${d.resolution}/${d.record.bucket}`;
      const held = store.get(key);
      store.set(key, held ? mergeRecord(held, d.record) : d.record);
    }
    const all = rollMinutes([...first, ok(45, 11)]);
    expect(plain(store.get(`edge-1/minute/${T0}`)!)).toEqual(plain(all[0]));
    expect(plain(store.get(`edge-1/day/${Date.UTC(2026, 10, 21)}`)!)).toEqual(plain(foldRecords(all, "day")[0]));
  });

  it("hands back only the tables and the closed buckets asked for, keeping the rest", () => {
    const buffer = new RollupBuffer();
    for (const s of [ok(0, 10), ok(30, 12), ok(60, 14), ok(90, 16)]) buffer.add("edge-1", s);
    const closed = buffer.drain({ resolutions: ["minute"], closed_by: T0 + MIN });
    expect(closed.map((d) => [d.resolution, d.record.bucket, d.record.count])).toEqual([["minute", T0, 2]]);
    expect(buffer.heldRecords()).toEqual({ minute: 1, hour: 1, day: 1 });
    expect(buffer.drain().map((d) => [d.resolution, d.record.count])).toEqual([
      ["minute", 2],
      ["hour", 4],
      ["day", 4],
    ]);
  });
});
