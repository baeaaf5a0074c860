import type Database from "better-sqlite3";

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** An open range's upper bound as a bucket bound (every future bucket below it). */
const FAR = Number.MAX_SAFE_INTEGER;
/** Entries kept at most (a few panes' ranges × the tallied dims). */
const MAX_ENTRIES = 24;
/** Keys kept at most over all ranges (~150 bytes each): a day of 100,000 scanning sources is one range. */
const MAX_KEYS = 1_000_000;
/** A cached range is moved rather than rebuilt when at most this much of it changes (else read again). */
const MAX_MOVE_MS = 3 * HOUR;

const floorTo = (t: number, span: number) => Math.floor(t / span) * span;
const ceilTo = (t: number, span: number) => Math.ceil(t / span) * span;

/** One key's sums over a range, as the tallies hold them (worst: rank 0 critical … 4 info). */
export interface KeySum {
  count: number;
  rows: number;
  worst: number;
  first: number;
  last: number;
  /** worst (or first) is a lower bound only: a bucket holding it left the range; refreshed on demand */
  staleWorst: boolean;
  staleFirst: boolean;
}

/** A change to one tally bucket, as the writer folded it (server/security/tallies.ts). */
export interface TallyDelta {
  dim: string;
  span: number;
  bucket: number;
  value: string;
  count: number;
  rows: number;
  worst: number;
  first: number;
  last: number;
}

interface Entry {
  dim: string;
  /** minute-aligned; `to` may be Infinity (no upper bound) */
  from: number;
  to: number;
  sums: Map<string, KeySum>;
  rows: number;
  used: number;
}

type Piece = [span: number, from: number, to: number];

/**
 * The events of [from, to) as tally bucket ranges: whole hours from hour tallies, the rest from minute
 * tallies. Null when a minute stretch starts before `kept` (its minute tallies may be pruned).
 */
export function tallyBuckets(from: number, to: number, kept: number): Piece[] | null {
  if (!(from < to)) return [];
  const hs = ceilTo(from, HOUR);
  const hu = Number.isFinite(to) ? floorTo(to, HOUR) : Infinity;
  const out: Piece[] = [];
  if (hs < hu) {
    if (from < hs) out.push([MINUTE, from, hs]);
    out.push([HOUR, hs, hu]);
    if (hu < to) out.push([MINUTE, hu, to]);
  } else out.push([MINUTE, from, to]);
  return out.some(([span, a]) => span === MINUTE && a < kept) ? null : out;
}

/**
 * Per-key sums of the tallies over a few ranges, kept in memory so that "top sources over 24 h" and a
 * grouping of a day read a few thousand summed keys instead of summing ~140,000 hour-tally rows on
 * every request. Exact at every moment:
 * - built from the tallies, then kept current by `apply` with every committed batch's minute tallies
 *   whose bucket falls in a cached range (late and out-of-order events included: the bucket decides);
 * - moved forward (a sliding "last 24 h") by subtracting the tallies of the range's left part and
 *   adding its new right part. Counts and rows subtract exactly; a key's worst severity and first time
 *   cannot be un-minned, so a subtraction that may have removed them marks them stale and they are
 *   read again (a walk over the range's buckets for that key, stopping at the first hit) only for the
 *   keys an answer lists;
 * - dropped when another connection changed the file (`PRAGMA data_version`), when hour tallies of
 *   their range are pruned (`forgetBefore`, server/ops/retention.ts), and never built or moved inside an open transaction
 *   (what it would read might be rolled back).
 */
export class TallySums {
  private entries: Entry[] = [];
  private version: number | null = null;
  private tick = 0;
  private readonly read: Database.Statement<[string, number, number, number], { value: string; count: number; rows: number; worst: number; first: number; last: number }>;
  private readonly one: Database.Statement<[string, number, number, string], { worst: number; first: number }>;
  private readonly newest: Database.Statement<[string, number], { b: number | null }>;

  constructor(private readonly sqlite: Database.Database) {
    // summed per key by SQLite: a day of source hour tallies is ~120,000 rows but ~5,000 keys, and
    // building a JS object per row cost seven times the sum
    this.read = sqlite.prepare(
      `SELECT "value", sum("count") AS "count", sum("rows") AS "rows", min("worst") AS "worst", min("first") AS "first", max("last") AS "last"
         FROM event_tallies WHERE "dim" = ? AND "span" = ? AND "bucket" >= ? AND "bucket" < ? GROUP BY "value"`,
    );
    this.one = sqlite.prepare(`SELECT "worst", "first" FROM event_tallies WHERE "dim" = ? AND "span" = ? AND "bucket" = ? AND "value" = ?`);
    this.newest = sqlite.prepare(`SELECT max("bucket") AS b FROM event_tallies WHERE "dim" = ? AND "span" = ?`);
  }

  /** Forgets every cached range (a batch committed inside an outer transaction, another connection's write). */
  clear(): void {
    this.entries = [];
  }

  /** Forgets the cached ranges that start before `cutoff` (hour tallies before it were pruned). */
  forgetBefore(cutoff: number): void {
    this.entries = this.entries.filter((e) => e.from >= cutoff);
  }

  /** How many ranges are cached (tests). */
  get size(): number {
    return this.entries.length;
  }

  /** Folds a committed batch's tallies into the cached ranges that hold their buckets (minute tallies decide). */
  apply(deltas: readonly TallyDelta[]): void {
    if (!this.entries.length) return;
    if (this.sqlite.inTransaction) {
      // committed only as a savepoint of an outer transaction that may still roll back
      this.clear();
      return;
    }
    // on the ingest path: a batch's tallies are checked against its dim's ranges only
    const byDim = new Map<string, Entry[]>();
    for (const e of this.entries) byDim.set(e.dim, [...(byDim.get(e.dim) ?? []), e]);
    for (const d of deltas) {
      if (d.span !== MINUTE) continue;
      const ranges = byDim.get(d.dim);
      if (ranges) for (const e of ranges) if (d.bucket >= e.from && d.bucket < e.to) add(e, d);
    }
  }

  /**
   * The sums of `dim` over [from, to) (minute-aligned; `to` may be Infinity), or null when they cannot
   * be cached now (inside a transaction, or minute tallies of the range may be pruned: `kept`). The
   * map is the cache's own: read it, do not change it.
   */
  sums(dim: string, from: number, to: number, kept: number): { sums: ReadonlyMap<string, KeySum>; rows: number; key: object } | null {
    if (this.sqlite.inTransaction) return null;
    const version = this.sqlite.pragma("data_version", { simple: true }) as number;
    if (version !== this.version) {
      this.clear();
      this.version = version;
    }
    let entry = this.entries.find((e) => e.dim === dim && e.from === from && e.to === to);
    if (!entry) {
      const movable = this.entries.find(
        (e) => e.dim === dim && e.from <= from && from < e.to && (Number.isFinite(to) ? Number.isFinite(e.to) && e.to <= to && to - e.to + (from - e.from) <= MAX_MOVE_MS : !Number.isFinite(e.to) && from - e.from <= MAX_MOVE_MS),
      );
      if (movable && this.move(movable, from, to, kept)) entry = movable;
      else {
        const pieces = tallyBuckets(from, to, kept);
        if (!pieces) return null;
        entry = { dim, from, to, sums: new Map(), rows: 0, used: 0 };
        for (const p of pieces) for (const r of this.rowsOf(dim, p)) add(entry, r);
        this.entries.push(entry);
      }
    }
    entry.used = ++this.tick;
    this.evict();
    return { sums: entry.sums, rows: entry.rows, key: entry };
  }

  /** Keeps the most recently used ranges within MAX_ENTRIES and MAX_KEYS (a range larger than that alone is not kept). */
  private evict(): void {
    this.entries.sort((a, b) => b.used - a.used);
    let keys = 0;
    let kept = 0;
    for (const e of this.entries) {
      if (kept === MAX_ENTRIES || keys + e.sums.size > MAX_KEYS) break;
      keys += e.sums.size;
      kept++;
    }
    this.entries.length = kept;
  }

  /** Makes the listed keys' worst and first exact (read again from the range's buckets where stale). */
  refresh(handle: { key: object }, values: Iterable<string>, kept: number, fields: { first: boolean }): void {
    const e = handle.key as Entry;
    let pieces: Piece[] | null | undefined;
    for (const value of values) {
      const s = e.sums.get(value);
      if (!s || !(s.staleWorst || (fields.first && s.staleFirst))) continue;
      pieces ??= tallyBuckets(e.from, e.to, kept);
      if (!pieces) throw new Error("tally range no longer readable");
      // buckets oldest first: the first bucket holding the key gives its first time; the worst stops
      // at its floor (the stale value is a lower bound) or at critical
      let worst = 4;
      let first = Infinity;
      let needWorst = s.staleWorst;
      let needFirst = fields.first && s.staleFirst;
      for (const [span, a, b0] of pieces) {
        const b = Number.isFinite(b0) ? b0 : (this.newest.get(e.dim, span)?.b ?? a - span) + span;
        for (let bucket = a; bucket < b && (needWorst || needFirst); bucket += span) {
          const r = this.one.get(e.dim, span, bucket, value);
          if (!r) continue;
          if (needFirst) {
            first = r.first;
            needFirst = false;
          }
          if (r.worst < worst) worst = r.worst;
          if (worst <= s.worst) needWorst = false;
        }
      }
      if (s.staleWorst) s.worst = worst;
      if (fields.first && s.staleFirst) s.first = first;
      s.staleWorst = false;
      if (fields.first) s.staleFirst = false;
    }
  }

  private rowsOf(dim: string, [span, a, b]: Piece) {
    return this.read.all(dim, span, a, Number.isFinite(b) ? b : FAR);
  }

  /** [e.from, e.to) → [from, to): subtracts the left part, adds the right part; false when a part is unreadable. */
  private move(e: Entry, from: number, to: number, kept: number): boolean {
    const left = tallyBuckets(e.from, from, kept);
    const right = Number.isFinite(to) ? tallyBuckets(e.to, to, kept) : [];
    if (!left || !right) return false;
    for (const p of left) for (const r of this.rowsOf(e.dim, p)) subtract(e, r);
    for (const p of right) for (const r of this.rowsOf(e.dim, p)) add(e, r);
    e.from = from;
    e.to = to;
    return true;
  }
}

function add(e: Entry, d: { value: string; count: number; rows: number; worst: number; first: number; last: number }): void {
  e.rows += d.rows;
  const s = e.sums.get(d.value);
  if (!s) {
    e.sums.set(d.value, { count: d.count, rows: d.rows, worst: d.worst, first: d.first, last: d.last, staleWorst: false, staleFirst: false });
    return;
  }
  s.count += d.count;
  s.rows += d.rows;
  // a stale worst or first is a lower bound of the true one: a value at or below it is exact again
  if (d.worst <= s.worst) {
    s.worst = d.worst;
    s.staleWorst = false;
  }
  if (d.first <= s.first) {
    s.first = d.first;
    s.staleFirst = false;
  }
  if (d.last > s.last) s.last = d.last;
}

function subtract(e: Entry, d: { value: string; count: number; rows: number; worst: number; first: number }): void {
  const s = e.sums.get(d.value);
  if (!s) return;
  e.rows -= d.rows;
  s.count -= d.count;
  s.rows -= d.rows;
  if (s.rows <= 0) {
    e.sums.delete(d.value);
    return;
  }
  // the left part is older than all that stays: last cannot change; worst and first may have left
  if (d.worst <= s.worst) s.staleWorst = true;
  if (d.first <= s.first) s.staleFirst = true;
}

/** SQLite's BINARY order of two strings (UTF-8 bytes, i.e. code points), not UTF-16 units. */
export function binaryCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The `limit` largest of `items` by count (ties by key in SQLite's order, null first), sorted: one
 * pass keeping a sorted buffer, so thousands of keys cost a comparison each.
 */
export function topByCount<T extends { key: string | null; count: number }>(items: Iterable<T>, limit: number): T[] {
  return topBy(items, limit, (x, y) => x.count > y.count || (x.count === y.count && keyBefore(x.key, y.key)));
}

/**
 * The `limit` first of `items` by worst severity (rank 0 critical … 4 info), then count, then key
 * (SQLite's order, null first): what the triage pane lists first. A flood of low-severity engine
 * events never ranks above a real signature of a worse severity, whatever the counts.
 */
export function topByRank<T extends { key: string | null; count: number; worst: number }>(items: Iterable<T>, limit: number): T[] {
  return topBy(items, limit, (x, y) => rankedBefore(x, x.key, y, y.key));
}

/** Whether a key's sums list before another's: worst severity first, then count, then key. */
export const rankedBefore = (x: { worst: number; count: number }, xKey: string | null, y: { worst: number; count: number }, yKey: string | null): boolean =>
  x.worst < y.worst || (x.worst === y.worst && (x.count > y.count || (x.count === y.count && keyBefore(xKey, yKey))));

/**
 * The `limit` first keys of a cached range's sums by worst severity, then count, with every listed
 * key's worst exact (see topByRankExact); reads the map's entries without a copy per key.
 */
export function topSumsExact(sums: ReadonlyMap<string, KeySum>, limit: number, refresh: (keys: string[]) => void): [string, KeySum][] {
  for (;;) {
    const winners = topBy(sums.entries(), limit, (x, y) => rankedBefore(x[1], x[0], y[1], y[0]));
    const stale = winners.flatMap(([key, s]) => (s.staleWorst ? [key] : []));
    if (!stale.length) return winners;
    refresh(stale);
  }
}

/**
 * `topByRank` over a cached range's sums, with every listed key's worst exact: a stale worst is a
 * lower bound (it may rank a key too high, never too low), so the stale winners are read again and
 * the ranking redone until none is stale. `items` is called once per round.
 */
export function topByRankExact<T extends { key: string | null; count: number; worst: number; stale: boolean }>(items: () => Iterable<T>, limit: number, refresh: (keys: string[]) => void): T[] {
  for (;;) {
    const winners = topByRank(items(), limit);
    const stale = winners.flatMap((w) => (w.stale && w.key !== null ? [w.key] : []));
    if (!stale.length) return winners;
    refresh(stale);
  }
}

const keyBefore = (a: string | null, b: string | null) => (a === null ? b !== null : b !== null && binaryCompare(a, b) < 0);

function topBy<T>(items: Iterable<T>, limit: number, before: (x: T, y: T) => boolean): T[] {
  const out: T[] = [];
  if (limit <= 0) return out;
  for (const item of items) {
    if (out.length === limit && !before(item, out[limit - 1])) continue;
    let i = out.length === limit ? limit - 1 : out.length;
    while (i > 0 && before(item, out[i - 1])) i--;
    if (out.length === limit) out.pop();
    out.splice(i, 0, item);
  }
  return out;
}
