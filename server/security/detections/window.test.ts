import { describe, expect, it } from "vitest";
import { random, shuffled } from "./auth-test-events";
import { findSpan, KeyedWindows, markSpans, REPORTED, type SpanSpec, type WindowEntry } from "./window";

const entry = (time: number, id: number, weight = 1, account: string | null = null): WindowEntry => ({
  time,
  id,
  weight,
  account,
  source: "s",
  service: "sshd",
  flags: 0,
});

const limits = { retentionMs: 10_000, maxKeys: 100, maxEntriesPerKey: 100, maxEntries: 1_000 };

/** The definition, checked by brute force: is `e` in some span of at most W holding the minimums? */
function qualifies(all: WindowEntry[], e: WindowEntry, spec: SpanSpec): boolean {
  for (const start of all) {
    if (start.time > e.time || e.time - start.time > spec.windowMs) continue;
    const inSpan = all.filter((x) => x.time >= start.time && x.time <= start.time + spec.windowMs && x.weight > 0);
    const weight = inSpan.reduce((n, x) => n + x.weight, 0);
    const members = new Set(inSpan.map((x) => spec.distinct?.(x)).filter((m) => m != null));
    if (weight >= spec.minWeight && members.size >= (spec.minDistinct ?? 0)) return true;
  }
  return false;
}

describe("KeyedWindows", () => {
  it("keeps each key's entries sorted whatever order they arrive in", () => {
    const w = new KeyedWindows(limits);
    for (const t of [5, 1, 9, 3, 7]) w.insert("k", entry(t, t));
    expect(w.entries("k")!.map((e) => e.time)).toEqual([1, 3, 5, 7, 9]);
  });

  it("ignores an entry with the same id and time as one it holds", () => {
    const w = new KeyedWindows(limits);
    expect(w.insert("k", entry(5, 1))).toBe(true);
    expect(w.insert("k", entry(5, 1))).toBe(false);
    expect(w.entries("k")).toHaveLength(1);
  });

  it("drops entries older than the key's latest time minus the retention, and counts late arrivals", () => {
    const w = new KeyedWindows(limits);
    w.insert("k", entry(1_000, 1));
    w.insert("k", entry(20_000, 2));
    expect(w.insert("k", entry(9_999, 3))).toBe(false);
    expect(w.late).toBe(1);
    w.prune("k");
    expect(w.entries("k")!.map((e) => e.id)).toEqual([2]);
  });

  it("caps the entries of one key, dropping the oldest", () => {
    const w = new KeyedWindows({ ...limits, maxEntriesPerKey: 10 });
    for (let i = 0; i < 50; i++) w.insert("k", entry(i, i));
    w.prune("k");
    expect(w.entries("k")!.map((e) => e.id)).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
    expect(w.entryCount).toBe(10);
  });

  it("evicts the least recently touched key beyond the key cap", () => {
    const w = new KeyedWindows({ ...limits, maxKeys: 2 });
    w.insert("a", entry(1, 1));
    w.insert("b", entry(1, 2));
    w.insert("a", entry(2, 3));
    w.insert("c", entry(1, 4));
    expect(w.size).toBe(2);
    expect(w.entries("b")).toBeUndefined();
    expect(w.entries("a")).toHaveLength(2);
    expect(w.evictedKeys).toBe(1);
  });

  it("evicts whole keys to stay within the total entry cap", () => {
    const w = new KeyedWindows({ ...limits, maxEntriesPerKey: 10, maxEntries: 25 });
    for (const key of ["a", "b", "c", "d"]) for (let i = 0; i < 10; i++) w.insert(key, entry(i, i));
    expect(w.entryCount).toBeLessThanOrEqual(25);
    expect(w.entries("d")).toHaveLength(10);
  });
});

describe("markSpans", () => {
  it("marks exactly the entries that lie in a span of at most W holding at least N weight", () => {
    const r = random(7);
    for (let round = 0; round < 200; round++) {
      const all = Array.from({ length: 20 }, (_, i) => entry(Math.floor(r() * 100), i, 1 + Math.floor(r() * 3)));
      all.sort((a, b) => a.time - b.time);
      const spec: SpanSpec = { windowMs: 10, minWeight: 6 };
      const marked = new Set(markSpans(all, 0, 100, spec, REPORTED));
      for (const e of all) expect(marked.has(e), `round ${round}, entry at ${e.time}`).toBe(qualifies(all, e, spec));
    }
  });

  it("with a distinct minimum, marks exactly the entries in spans that also hold K distinct members", () => {
    const r = random(11);
    for (let round = 0; round < 200; round++) {
      const all = Array.from({ length: 20 }, (_, i) => entry(Math.floor(r() * 100), i, 1, `u${Math.floor(r() * 6)}`));
      all.sort((a, b) => a.time - b.time);
      const spec: SpanSpec = { windowMs: 15, minWeight: 1, minDistinct: 3, distinct: (e) => e.account };
      const marked = new Set(markSpans(all, 0, 100, spec, REPORTED));
      for (const e of all) expect(marked.has(e), `round ${round}, entry at ${e.time}`).toBe(qualifies(all, e, spec));
    }
  });

  it("marks the same entries when fed one at a time in any order as when fed at once", () => {
    const r = random(3);
    const spec: SpanSpec = { windowMs: 10, minWeight: 5 };
    for (let round = 0; round < 50; round++) {
      const times = Array.from({ length: 30 }, () => Math.floor(r() * 200));
      const once = new KeyedWindows({ ...limits, retentionMs: 1_000 });
      times.forEach((t, i) => once.insert("k", entry(t, i)));
      const expected = markSpans(once.entries("k")!, 0, 200, spec, REPORTED).map((e) => e.id).sort((a, b) => a - b);
      const incremental = new KeyedWindows({ ...limits, retentionMs: 1_000 });
      const got: number[] = [];
      for (const i of shuffled(times.map((_, i) => i), round)) {
        incremental.insert("k", entry(times[i], i));
        got.push(...markSpans(incremental.entries("k")!, times[i], times[i], spec, REPORTED).map((e) => e.id));
      }
      expect(got.sort((a, b) => a - b)).toEqual(expected);
    }
  });

  it("ignores entries of zero weight: they neither count nor get marked", () => {
    const all = [entry(0, 1), entry(1, 2, 0), entry(2, 3)];
    expect(markSpans(all, 0, 2, { windowMs: 10, minWeight: 3 }, REPORTED)).toEqual([]);
    expect(markSpans(all, 0, 2, { windowMs: 10, minWeight: 2 }, REPORTED).map((e) => e.id)).toEqual([1, 3]);
  });
});

describe("findSpan", () => {
  it("answers the heaviest span of at most W containing the time, with its first and last time and total", () => {
    const all = [entry(0, 1), entry(5, 2, 2), entry(9, 3), entry(14, 4, 2), entry(30, 5)];
    expect(findSpan(all, 9, { windowMs: 10, minWeight: 4 })).toMatchObject({ first: 5, last: 14, total: 5 });
    expect(findSpan(all, 0, { windowMs: 10, minWeight: 4 })).toMatchObject({ first: 0, last: 9, total: 4 });
    expect(findSpan(all, 30, { windowMs: 10, minWeight: 2 })).toBeNull();
  });
});
