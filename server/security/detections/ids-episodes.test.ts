import { describe, expect, it } from "vitest";
import { EpisodeWindows, type EpisodeReport } from "./ids-episodes";
import { batchesOf, chunks, SEC, shuffled, T0 } from "./ids-fixtures";

const W = 60 * SEC;
const atLeast = (n: number) => new EpisodeWindows({ windowMs: W, qualifies: (f) => f.weight >= n });

interface Ev {
  key: string;
  time: number;
  id: number;
}

function run(engine: EpisodeWindows, batches: readonly (readonly Ev[])[]): EpisodeReport[] {
  const out: EpisodeReport[] = [];
  for (const batch of batches) {
    for (const e of batch) engine.add(e.key, { time: e.time, weight: 1, id: e.id });
    out.push(...engine.flush());
  }
  return out;
}

function sums(reports: readonly EpisodeReport[]) {
  const out: Record<string, { count: number; first: number; last: number }> = {};
  for (const r of reports) {
    const t = (out[r.key] ??= { count: 0, first: r.firstSeen, last: r.lastSeen });
    t.count += r.increment;
    t.first = Math.min(t.first, r.firstSeen);
    t.last = Math.max(t.last, r.lastSeen);
  }
  return out;
}

const evs = (key: string, offsets: number[], firstId = 1): Ev[] => offsets.map((o, i) => ({ key, time: T0 + o, id: firstId + i }));

describe("EpisodeWindows", () => {
  it("opens when a window meets the threshold: the whole window is the first increment, evidence earliest first", () => {
    const [r, ...rest] = run(atLeast(3), [evs("k", [20 * SEC, 0, 10 * SEC])]);
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ key: "k", opened: true, increment: 3, firstSeen: T0, lastSeen: T0 + 20 * SEC, evidence: [2, 3, 1] });
  });

  it("never fires on events spread over a full window or more", () => {
    expect(run(atLeast(3), [evs("k", [0, 30 * SEC, W])])).toEqual([]);
  });

  it("grows with later events less than a window away, one report per key per flush", () => {
    const engine = atLeast(3);
    run(engine, [evs("k", [0, 10 * SEC, 20 * SEC])]);
    const [r, ...rest] = run(engine, [evs("k", [70 * SEC, 75 * SEC], 10)]);
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ opened: false, increment: 2, firstSeen: T0, lastSeen: T0 + 75 * SEC, evidence: [10, 11] });
  });

  it("starts over after a gap of a full window: the new episode must meet the threshold again", () => {
    const engine = atLeast(3);
    run(engine, [evs("k", [0, 10 * SEC, 20 * SEC])]);
    expect(run(engine, [evs("k", [80 * SEC, 81 * SEC], 10)])).toEqual([]);
    const [r] = run(engine, [evs("k", [82 * SEC], 12)]);
    expect(r).toMatchObject({ opened: true, increment: 3, firstSeen: T0 + 80 * SEC, lastSeen: T0 + 82 * SEC });
  });

  it("keeps two episodes a full window apart separate: growth of one reports that one only", () => {
    const engine = atLeast(3);
    run(engine, [evs("k", [0, 10, 20].map((s) => s * SEC), 1)]);
    run(engine, [evs("k", [300, 301, 302].map((s) => s * SEC), 4)]);
    const [r, ...rest] = run(engine, [evs("k", [30 * SEC], 7)]);
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ increment: 1, firstSeen: T0, lastSeen: T0 + 30 * SEC, evidence: [7] });
    expect(r.episode.weight).toBe(4);
  });

  it("counts events before the window that tripped when they are connected to it, in any order", () => {
    // 3 in 60 s first happens at [100, 110, 115]; 50 is within a window of 100, 0 within one of 50
    const events = evs("k", [0, 50, 100, 110, 115].map((s) => s * SEC));
    const expected = { k: { count: 5, first: T0, last: T0 + 115 * SEC } };
    expect(sums(run(atLeast(3), [events]))).toEqual(expected);
    expect(sums(run(atLeast(3), events.map((e) => [e])))).toEqual(expected);
    expect(sums(run(atLeast(3), [...events].reverse().map((e) => [e])))).toEqual(expected);
  });

  it("merges two episodes once late events bridge them", () => {
    const engine = atLeast(3);
    const a = run(engine, [evs("k", [0, 1, 2].map((s) => s * SEC), 1)]);
    const b = run(engine, [evs("k", [200, 201, 202].map((s) => s * SEC), 4)]);
    const bridge = run(engine, [evs("k", [50, 100, 150].map((s) => s * SEC), 7)]);
    expect(a[0].increment + b[0].increment).toBe(6);
    expect(bridge).toHaveLength(1);
    expect(bridge[0]).toMatchObject({ increment: 3, firstSeen: T0, lastSeen: T0 + 202 * SEC });
    expect(bridge[0].episode.weight).toBe(9);
  });

  it("gives the same totals in time order, reversed, shuffled and in late batches", () => {
    const events: Ev[] = [];
    let id = 1;
    for (let k = 0; k < 30; k++) {
      let t = T0 + k * 7 * SEC;
      for (let i = 0; i < 40; i++) {
        t += ((k * 31 + i * 17) % 9) * 4 * SEC; // gaps from 0 to 32 s, some bursts, some lulls
        events.push({ key: `k${k % 12}`, time: t, id: id++ });
      }
    }
    const sorted = [...events].sort((a, b) => a.time - b.time || a.id - b.id);
    const expected = sums(run(atLeast(4), [sorted]));
    expect(Object.keys(expected).length).toBeGreaterThan(5);
    expect(sums(run(atLeast(4), [[...sorted].reverse()]))).toEqual(expected);
    expect(sums(run(atLeast(4), [shuffled(sorted, 7)]))).toEqual(expected);
    expect(sums(run(atLeast(4), chunks(sorted, 13)))).toEqual(expected);
    expect(sums(run(atLeast(4), chunks([...sorted].reverse(), 13)))).toEqual(expected);
    expect(sums(run(atLeast(4), chunks(shuffled(sorted, 3), 50)))).toEqual(expected);
  });

  it("reports the identical result for a batch in any order", () => {
    const events = evs("k", [0, 5, 5, 9, 30, 31, 58, 90].map((s) => s * SEC)).concat(evs("j", [1, 2, 3, 4].map((s) => s * SEC), 50));
    const a = run(atLeast(3), [events]);
    expect(run(atLeast(3), [[...events].reverse()])).toEqual(a);
    expect(run(atLeast(3), [shuffled(events, 11)])).toEqual(a);
  });

  it("still opens on a late burst older than all the history it keeps", () => {
    const engine = atLeast(3);
    // newest first, 50 s apart: never 3 in a minute, and the 240 slots of history full
    for (let t = 300 + 239 * 50; t >= 300; t -= 50) expect(run(engine, [evs("k", [t * SEC], t)])).toEqual([]);
    const [r] = run(engine, [evs("k", [0, 1, 2].map((s) => s * SEC), 5_000)]);
    expect(r).toMatchObject({ opened: true, increment: 3, firstSeen: T0, lastSeen: T0 + 2 * SEC });
  });

  it("carries at most 100 evidence ids, the earliest", () => {
    const events = evs("k", Array.from({ length: 500 }, (_, i) => i * 100)).reverse();
    const [r] = run(atLeast(3), [events]);
    expect(r.increment).toBe(500);
    expect(r.evidence).toHaveLength(100);
    expect(r.evidence.slice(0, 3)).toEqual([1, 2, 3]);
  });

  it("keeps its state within the caps over 200,000 distinct keys", () => {
    const engine = new EpisodeWindows({ windowMs: W, qualifies: (f) => f.weight >= 3, maxKeys: 2_000, maxWeight: 6_000 });
    for (const batch of batchesOf(200_000, 5_000, (i) => ({ key: `k${i}`, time: T0 + i, id: i + 1 }))) {
      for (const e of batch) engine.add(e.key, { time: e.time, weight: 1, id: e.id, member: "m" });
      expect(engine.flush()).toEqual([]);
    }
    const s = engine.stats();
    expect(s.keys).toBeLessThanOrEqual(2_000);
    expect(s.weight).toBeLessThanOrEqual(6_000);
    expect(s.evictions).toBeGreaterThanOrEqual(190_000);
  });

  it("keeps a key's pending history to 4 × slotsPerWindow slots", () => {
    const engine = new EpisodeWindows({ windowMs: W, qualifies: (f) => f.weight >= 1_000, maxKeys: 10, maxWeight: 1e9 });
    for (let i = 0; i < 2_000; i++) engine.add("k", { time: T0 + i * SEC, weight: 1, id: i });
    engine.flush();
    expect(engine.stats().weight).toBeLessThanOrEqual(1 + 240 * 2);
  });
});
