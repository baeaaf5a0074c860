/**
 * Per-key sliding windows on EVENT time that do not assume time order.
 *
 * Each key (a source, `service:source`, `service:account` …) keeps its entries sorted by time
 * (binary insertion), so events may arrive in any order. A key keeps what lies within
 * `retentionMs` of the latest time it has seen (the rule's window plus the disorder it tolerates);
 * older entries are dropped, and an event that arrives older than that horizon is counted as late
 * and ignored. Everything is capped: entries per key, entries in all, keys (least recently touched
 * evicted first).
 *
 * Rules mark entries instead of counting arrivals: an entry is evidence when some span of at most
 * W ms that contains it holds at least N weight (and, optionally, at least K distinct members:
 * accounts per source, sources per account, counted over the span's own entries, so as bounded as
 * they are). Adding entries only ever makes more spans qualify, so marking what newly qualifies
 * after each batch gives the same marked set, and the same totals, whatever order the events came
 * in. (A weight only ever falls when another entry takes over its count: see attempts.ts.)
 */

/**
 * One event in a key's window. `weight` is what it counts; 0 for an event whose connection's count
 * another event carries (flag PAIRED): such an event counts nothing but is still evidence.
 */
export interface WindowEntry {
  readonly time: number;
  readonly id: number;
  weight: number;
  readonly account: string | null;
  readonly source: string | null;
  readonly service: string;
  /** bit set: REPORTED, FAST_BURST … owned by the rule that holds the window */
  flags: number;
}

/** What every rule's entry of one event shares: one object per event, however many rules hold it. */
export interface EntryCore {
  readonly time: number;
  readonly id: number;
  readonly account: string | null;
  readonly source: string | null;
  readonly service: string;
}

/**
 * A rule's entry of an event: the event's shared core and the rule's own weight and flags. Five
 * auth rules keep an entry per failed login; each a whole object of its own was 76 bytes and a
 * boxed time (16) per rule, 38 MB for 100,000 failures held by four rules (a heap snapshot of
 * bench/server-load.ts); this is 48 bytes per rule and one 80-byte core per event.
 */
export class SharedEntry implements WindowEntry {
  constructor(
    readonly core: EntryCore,
    public weight = 0,
    public flags = 0,
  ) {}
  get time(): number {
    return this.core.time;
  }
  get id(): number {
    return this.core.id;
  }
  get account(): string | null {
    return this.core.account;
  }
  get source(): string | null {
    return this.core.source;
  }
  get service(): string {
    return this.core.service;
  }
}

/** The entry was counted in a detection this rule reported. */
export const REPORTED = 1;
/** (slow brute force) the entry is part of a fast burst, so the slow rule leaves it to the fast one. */
export const FAST_BURST = 2;
/** The entry's connection is counted by another entry (see attempts.ts): weight 0, yet evidence. */
export const PAIRED = 4;

export interface WindowLimits {
  /** how far before a key's latest time entries are kept: the rule's window plus the tolerated disorder */
  retentionMs: number;
  /** keys kept at most; the least recently touched go first */
  maxKeys: number;
  /** entries kept per key at most; the oldest go first */
  maxEntriesPerKey: number;
  /** entries kept over all keys at most; whole keys are evicted, least recently touched first */
  maxEntries: number;
}

/** What makes a span count: at least `minWeight` weight (and `minDistinct` distinct members) within `windowMs`. */
export interface SpanSpec {
  windowMs: number;
  minWeight: number;
  minDistinct?: number;
  /** the member whose distinct count `minDistinct` bounds (accounts per source, sources per account) */
  distinct?: (e: WindowEntry) => string | null;
  /** entries this spec leaves out entirely: neither counted nor marked */
  skip?: (e: WindowEntry) => boolean;
}

/** A qualifying span as `findSpan` reports it. */
export interface Span {
  first: number;
  last: number;
  total: number;
  distinct: number;
  /** indexes into the key's entries, inclusive */
  from: number;
  to: number;
}

/**
 * A key's entries, sorted by time; never empty (a key is made with its first entry and `prune`
 * keeps at least the latest), so its last entry's time is the latest time the key has seen. No
 * wrapper object: at 50,000 keys a rule an object and a boxed time each were 11 MB of a flood.
 */
type Series = WindowEntry[];

const latest = (s: Series): number => s[s.length - 1].time;

/** First index whose time is >= t. */
export function lowerBound(entries: readonly WindowEntry[], t: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid].time < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose time is > t. */
export function upperBound(entries: readonly WindowEntry[], t: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid].time <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Gives a Map's keys oldest first for eviction, amortised O(1). A fresh `map.keys()` walks over every
 * deleted slot at the head of V8's table, so taking the head anew for each eviction turns quadratic
 * (1.7 s instead of 0.2 s for 200k keys under a 100k cap); one live iterator skips each slot once.
 */
export class EvictionCursor<K> {
  private it: Iterator<K> | null = null;

  constructor(private readonly map: Map<K, unknown>) {}

  /** The least recently (re)inserted key not yet given, or undefined for an empty map. */
  next(): K | undefined {
    for (let pass = 0; pass < 2; pass++) {
      this.it ??= this.map.keys();
      const r = this.it.next();
      if (!r.done) return r.value;
      this.it = null; // a finished iterator stays finished: start again from the head
    }
    return undefined;
  }
}

/** Series of at most this many entries are copied to an exact array by `prune` (copying longer ones costs more than it saves). */
const EXACT_BELOW = 64;

/** Bounded, order-tolerant windows for many keys. */
export class KeyedWindows {
  private readonly series = new Map<string, Series>();
  private readonly cursor = new EvictionCursor(this.series);
  private total = 0;
  /** entries ignored because they arrived older than their key's horizon */
  late = 0;
  /** keys dropped to stay within `maxKeys` / `maxEntries` */
  evictedKeys = 0;

  constructor(readonly limits: WindowLimits) {
    if (limits.maxEntriesPerKey > limits.maxEntries) throw new Error("maxEntriesPerKey exceeds maxEntries");
    // a key is never left empty (its last entry is its latest time): prune must keep at least one
    if (!Number.isInteger(limits.maxEntriesPerKey) || limits.maxEntriesPerKey < 1) throw new Error("maxEntriesPerKey must be a whole number, at least 1");
  }

  /**
   * Adds an entry under `key` (sorted by time; an entry with the same id and time is a repeat and
   * ignored). Returns false when the entry is a repeat or too late for its key's horizon.
   */
  insert(key: string, entry: WindowEntry): boolean {
    const s = this.series.get(key);
    if (!s) {
      // most keys of a flood of distinct sources never get a second entry: an exact one-slot array,
      // not the 17 slots a first push into [] reserves (about 130 bytes a key: bench/auth-flood.ts)
      this.series.set(key, [entry]);
      this.total++;
      this.evict(key);
      return true;
    }
    this.series.delete(key); // re-inserted: the Map stays in least-recently-touched order
    this.series.set(key, s);
    if (entry.time < latest(s) - this.limits.retentionMs) {
      this.late++;
      return false;
    }
    const at = upperBound(s, entry.time);
    for (let k = at - 1; k >= 0 && s[k].time === entry.time; k--) if (s[k].id === entry.id) return false;
    if (at === s.length) s.push(entry);
    else s.splice(at, 0, entry);
    this.total++;
    this.evict(key);
    return true;
  }

  /**
   * Drops a key's entries older than its horizon and beyond its cap (oldest first). Rules call it
   * after marking a batch, so a batch's entries are all weighed before any is dropped: between
   * batches a key holds at most `maxEntriesPerKey`, during one at most that plus the batch's own.
   * The latest entry is always kept.
   */
  prune(key: string): void {
    const s = this.series.get(key);
    if (!s) return;
    let drop = lowerBound(s, latest(s) - this.limits.retentionMs);
    drop = Math.max(drop, s.length - this.limits.maxEntriesPerKey);
    if (drop > 0) {
      s.splice(0, drop);
      this.total -= drop;
    }
    // a push into a full array reserves half as much again plus 16 slots (17 for the second entry):
    // most keys hold a few entries, so a short series is kept as an exact copy (at 10,000 sources
    // of 10 failures each, 56 bytes a key and rule)
    if (s.length <= EXACT_BELOW) this.series.set(key, s.slice());
  }

  /** The key's entries, sorted by time (a live view: do not modify). */
  entries(key: string): WindowEntry[] | undefined {
    return this.series.get(key);
  }

  /** The latest time the key has seen. */
  maxTime(key: string): number | undefined {
    const s = this.series.get(key);
    return s && latest(s);
  }

  get size(): number {
    return this.series.size;
  }

  get entryCount(): number {
    return this.total;
  }

  private evict(keep: string): void {
    while (this.series.size > this.limits.maxKeys || this.total > this.limits.maxEntries) {
      const oldest = this.cursor.next();
      if (oldest === undefined || oldest === keep) break; // `keep` was touched last: nothing older is left
      this.total -= this.series.get(oldest)!.length;
      this.series.delete(oldest);
      this.evictedKeys++;
    }
  }
}

const never = () => false;

/** Whether an entry not skipped is evidence: it counts, or its connection is counted by another entry. */
const isEvidence = (e: WindowEntry) => e.weight > 0 || (e.flags & PAIRED) !== 0;

function addMember(members: Map<string, number>, m: string | null, sign: 1 | -1): void {
  if (m === null) return;
  const n = (members.get(m) ?? 0) + sign;
  if (n > 0) members.set(m, n);
  else members.delete(m);
}

/**
 * Marks with `flag` every entry (evidence, not skipped, not yet flagged) that lies in a qualifying span
 * containing a time in [from, to] — that is, every entry a batch whose new entries lie in [from, to]
 * can have made evidence — and returns those newly marked, earliest first. O(entries within W of
 * the range).
 *
 * Why this is exact: for each right end j the widest span ending there, [i(j), j], holds the most
 * weight and members of any span ending at j; a span containing entry e qualifies iff some widest
 * span [i(j), j] with i(j) <= e <= j does. So sliding j and marking [i(j), j] whenever it
 * qualifies marks exactly the entries that are in some qualifying span.
 */
export function markSpans(entries: WindowEntry[], from: number, to: number, spec: SpanSpec, flag: number): WindowEntry[] {
  const W = spec.windowMs;
  const skip = spec.skip ?? never;
  const minDistinct = spec.minDistinct ?? 0;
  const members = spec.distinct && minDistinct > 0 ? new Map<string, number>() : null;
  const lo = lowerBound(entries, from - W);
  const jStart = lowerBound(entries, from);
  const jEnd = upperBound(entries, to + W);
  const marked: WindowEntry[] = [];
  let i = lo;
  let sum = 0;
  let markedTo = lo; // entries before this index are already considered for marking
  for (let j = lo; j < jEnd; j++) {
    const e = entries[j];
    if (e.weight > 0 && !skip(e)) {
      sum += e.weight;
      if (members) addMember(members, spec.distinct!(e), 1);
    }
    while (e.time - entries[i].time > W) {
      const gone = entries[i++];
      if (gone.weight > 0 && !skip(gone)) {
        sum -= gone.weight;
        if (members) addMember(members, spec.distinct!(gone), -1);
      }
    }
    if (j < jStart || sum < spec.minWeight || (members && members.size < minDistinct)) continue;
    for (let k = Math.max(i, markedTo); k <= j; k++) {
      const m = entries[k];
      if (m.flags & flag || !isEvidence(m) || skip(m)) continue;
      m.flags |= flag;
      marked.push(m);
    }
    markedTo = j + 1;
  }
  return marked;
}

/**
 * The heaviest qualifying span (the earliest of equals) (at most `windowMs` wide, at least `minWeight`, at least
 * `minDistinct` members) that contains time `t`, or null when there is none. For queries and
 * tests: O(k²) over the entries within W of `t`; rules use `markSpans`.
 */
export function findSpan(entries: readonly WindowEntry[], t: number, spec: SpanSpec): Span | null {
  const W = spec.windowMs;
  const skip = spec.skip ?? never;
  const minDistinct = spec.minDistinct ?? 0;
  let best: Span | null = null;
  const jStart = lowerBound(entries, t);
  const jEnd = upperBound(entries, t + W);
  for (let j = jStart; j < jEnd; j++) {
    const i = lowerBound(entries, entries[j].time - W);
    if (entries[i].time > t) continue;
    let total = 0;
    let first = -1;
    let last = -1;
    const members = new Set<string>();
    for (let k = i; k <= j; k++) {
      const w = skip(entries[k]) ? 0 : entries[k].weight;
      if (w <= 0) continue;
      total += w;
      if (first < 0) first = k;
      last = k;
      const m = spec.distinct?.(entries[k]);
      if (m != null) members.add(m);
    }
    if (first < 0 || total < spec.minWeight || members.size < minDistinct) continue;
    if (entries[first].time > t || entries[last].time < t) continue;
    if (!best || total > best.total) best = { first: entries[first].time, last: entries[last].time, total, distinct: members.size, from: first, to: last };
  }
  return best;
}
