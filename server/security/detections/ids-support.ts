import type { StoredEvent } from "../types";
import { fmtInt } from "./ids-format";

// Small bounded structures shared by the IDS, scan and payment rules: a least-recently-used map
// with a key cap and a weight budget, a top-N counter, and the earliest-evidence list.

/** Caps of a bounded map: at most `maxKeys` keys and `maxWeight` units of state in all. */
export interface LruCaps {
  maxKeys: number;
  maxWeight: number;
}

interface LruNode<V> {
  key: string;
  value: V;
  weight: number;
  older: LruNode<V> | null;
  newer: LruNode<V> | null;
}

/**
 * A map that forgets its least recently used keys once it holds more than `maxKeys` keys or more
 * than `maxWeight` units (each value's weight is given by its owner: slots, members, ids held).
 * Reading with `get` marks a key as used; `peek` does not. A linked list keeps the order: a Map
 * alone, emptied from its front, makes V8 skip ever more deleted entries to find the oldest.
 */
export class BoundedLru<V> {
  private readonly map = new Map<string, LruNode<V>>();
  private oldest: LruNode<V> | null = null;
  private newest: LruNode<V> | null = null;
  private total = 0;
  /** keys dropped to stay within the caps, since creation */
  evictions = 0;

  constructor(private readonly caps: LruCaps) {}

  get size(): number {
    return this.map.size;
  }

  get weight(): number {
    return this.total;
  }

  get(key: string): V | undefined {
    const node = this.map.get(key);
    if (!node) return undefined;
    if (node !== this.newest) {
      this.unlink(node);
      this.append(node);
    }
    return node.value;
  }

  peek(key: string): V | undefined {
    return this.map.get(key)?.value;
  }

  /** Stores (or replaces) a value as the most recently used, then evicts down to the caps. */
  set(key: string, value: V, weight = 1): void {
    const old = this.map.get(key);
    if (old) this.delete(key);
    const node: LruNode<V> = { key, value, weight, older: null, newer: null };
    this.map.set(key, node);
    this.append(node);
    this.total += weight;
    this.shrink(node);
  }

  /** Records a new weight for a key after its value grew or shrank. */
  reweigh(key: string, weight: number): void {
    const node = this.map.get(key);
    if (!node) return;
    this.total += weight - node.weight;
    node.weight = weight;
    this.shrink(node);
  }

  delete(key: string): void {
    const node = this.map.get(key);
    if (!node) return;
    this.total -= node.weight;
    this.map.delete(key);
    this.unlink(node);
  }

  /** Keys from the least to the most recently used. */
  *keys(): IterableIterator<string> {
    for (let n = this.oldest; n; n = n.newer) yield n.key;
  }

  private append(node: LruNode<V>): void {
    node.older = this.newest;
    node.newer = null;
    if (this.newest) this.newest.newer = node;
    else this.oldest = node;
    this.newest = node;
  }

  private unlink(node: LruNode<V>): void {
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
    node.older = node.newer = null;
  }

  private shrink(keep: LruNode<V>): void {
    while (this.map.size > this.caps.maxKeys || (this.total > this.caps.maxWeight && this.map.size > 1)) {
      const victim = this.oldest === keep ? keep.newer : this.oldest;
      if (!victim) return;
      this.delete(victim.key);
      this.evictions++;
    }
  }
}

/** One member and its count, as reported in `details`. */
export interface Counted {
  value: string;
  count: number;
}

/**
 * Counts members (sources, signatures, cards …) holding at most `cap` of them: past the cap the
 * least counted half is forgotten, so the top of the list stays right while the tail is
 * approximate. `distinct` is exact until the first forgetting; `distinctApproximate` says when it
 * is no longer (a forgotten member that returns is counted again).
 */
export class TopCounter {
  private readonly counts = new Map<string, number>();
  distinct = 0;
  distinctApproximate = false;

  constructor(private readonly cap = 1_000) {}

  get size(): number {
    return this.counts.size;
  }

  add(value: string, count: number): void {
    const seen = this.counts.get(value);
    if (seen !== undefined) {
      this.counts.set(value, seen + count);
      return;
    }
    this.counts.set(value, count);
    this.distinct++;
    if (this.counts.size > this.cap) this.forgetTail();
  }

  get(value: string): number {
    return this.counts.get(value) ?? 0;
  }

  /** The `n` most counted, ties by value so the answer does not depend on arrival order. */
  top(n: number): Counted[] {
    if (n <= 0) return [];
    if (n * 4 >= this.counts.size) {
      return [...this.counts]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, n)
        .map(([value, count]) => ({ value, count }));
    }
    // a few of many (every campaign's top 10 of hundreds of sources, on every batch): one pass
    // keeping the best n in order, instead of sorting them all; the values are distinct, so the
    // order is total and the answer the same as the sort's
    const best: Counted[] = [];
    for (const [value, count] of this.counts) {
      if (best.length === n) {
        const last = best[n - 1];
        if (count < last.count || (count === last.count && value > last.value)) continue;
        best.pop();
      }
      let i = best.length;
      while (i > 0 && (best[i - 1].count < count || (best[i - 1].count === count && best[i - 1].value > value))) i--;
      best.splice(i, 0, { value, count });
    }
    return best;
  }

  private forgetTail(): void {
    const keep = this.top(Math.floor(this.cap / 2));
    this.counts.clear();
    for (const { value, count } of keep) this.counts.set(value, count);
    this.distinctApproximate = true;
  }
}

/**
 * Evidence as a flat list of pairs, time then id ([t0, id0, t1, id1 …]): one array per list, no
 * object per event.
 */
export type EvidenceList = number[];

/** Adds one piece of evidence, trimming the list to its earliest `MAX_EVIDENCE` now and then. */
export function pushEvidence(list: EvidenceList, time: number, id: number): void {
  list.push(time, id);
  if (list.length > 4 * MAX_EVIDENCE) {
    const kept = earliestPairs([list], MAX_EVIDENCE);
    list.length = 0;
    list.push(...kept);
  }
}

function earliestPairs(lists: Iterable<readonly number[]>, limit: number): number[] {
  const pairs: [number, number][] = [];
  for (const list of lists) for (let i = 0; i + 1 < list.length; i += 2) pairs.push([list[i], list[i + 1]]);
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return pairs.slice(0, limit).flat();
}

/** The ids of the earliest `limit` pieces of evidence of several lists, by time then id. */
export function earliestIds(lists: Iterable<readonly number[]>, limit: number): number[] {
  return earliestPairs(lists, limit).filter((_, i) => i % 2 === 1);
}

/** The most evidence ids a detection carries. */
export const MAX_EVIDENCE = 100;

/** The earliest event of each key in a batch: what names a signature or a source in words. */
export function earliestByKey(batch: readonly StoredEvent[], keyOf: (e: StoredEvent) => string | null): Map<string, StoredEvent> {
  const first = new Map<string, StoredEvent>();
  for (const e of batch) {
    const key = keyOf(e);
    if (key === null) continue;
    const seen = first.get(key);
    if (!seen || e.time < seen.time || (e.time === seen.time && e.id < seen.id)) first.set(key, e);
  }
  return first;
}

/** How many distinct members an episode counted: "53", or "≈1,204" once the count is approximate. */
export function distinctText(n: number, approximate: boolean): string {
  return `${approximate ? "≈" : ""}${fmtInt(n)}`;
}
