// A mergeable latency sketch with a relative-error guarantee, after DDSketch (Masson, Rim, Lee,
// VLDB 2019): a value v > 0 goes to bin i = ceil(log_γ v) with γ = (1 + α) / (1 − α), so bin i
// holds (γ^(i−1), γ^i], and its representative 2γ^i / (γ + 1) is within α of every value in it.
// quantile(q) therefore returns a value within α (1 % by default) of the exact lower quantile,
// the sorted value at rank ⌊q·(n − 1)⌋. Counts are integers, so merge is exact: any grouping and
// order of merges gives the same bins (only the float `sum` may differ in its last bits).
//
// Bounded: values are indexed between MIN_VALUE_MS (1 µs) and MAX_VALUE_MS (~2.8 h); below, a
// value counts in the zero bin (an absolute error under 1 µs); above, it counts in the top bin.
// At 1 % that is at most 1,152 bins and the zero bin; a minute of checks holds a handful, a day
// a few dozen to a few hundred.
// min and max are kept exactly and quantiles are clamped to them.
import { ByteReader, ByteWriter, SketchFormatError, unzigzag, zigzag } from "./byte-codec";

export { SketchFormatError };

export const DEFAULT_RELATIVE_ACCURACY = 0.01;
/** Smallest value (ms) with its own bin; smaller ones count as zero. */
export const MIN_VALUE_MS = 0.001;
/** Largest value (ms) with its own bin; larger ones share the top bin (min/max stay exact). */
export const MAX_VALUE_MS = 1e7;

const FORMAT_VERSION = 1;

/** The sketch as JSON: bins as [index, count] pairs, non-empty only. */
export interface LatencySketchJson {
  v: 1;
  /** relative accuracy α */
  a: number;
  n: number;
  min: number | null;
  max: number | null;
  sum: number;
  /** values under MIN_VALUE_MS */
  z: number;
  b: [number, number][];
}


/** The bin mapping of one accuracy, shared by every sketch of that accuracy. */
interface Mapping {
  alpha: number;
  gamma: number;
  /** 1 / ln γ */
  multiplier: number;
  minIndex: number;
  maxIndex: number;
}
const mappings = new Map<number, Mapping>();
function mappingOf(alpha: number): Mapping {
  let m = mappings.get(alpha);
  if (m) return m;
  // stored as a whole number of 1e-4 in the binary form
  if (!(alpha >= 1e-4 && alpha <= 0.5) || Math.abs(alpha * 1e4 - Math.round(alpha * 1e4)) > 1e-9) {
    throw new RangeError("relative accuracy: a multiple of 0.0001 between 0.0001 and 0.5");
  }
  const gamma = (1 + alpha) / (1 - alpha);
  const multiplier = 1 / Math.log(gamma);
  m = { alpha, gamma, multiplier, minIndex: Math.ceil(Math.log(MIN_VALUE_MS) * multiplier), maxIndex: Math.ceil(Math.log(MAX_VALUE_MS) * multiplier) };
  mappings.set(alpha, m);
  return m;
}

/** Percentiles of latencies in bounded space, within a documented relative error, mergeable. */
export class LatencySketch {
  private readonly mapping: Mapping;
  /** counts of bins offset..offset+counts.length−1; empty until the first indexed value */
  private counts: number[] = [];
  private offset = 0;
  private zeroCount = 0;
  private n = 0;
  private lo = Infinity;
  private hi = -Infinity;
  private total = 0;

  constructor(relativeAccuracy = DEFAULT_RELATIVE_ACCURACY) {
    this.mapping = mappingOf(relativeAccuracy);
  }

  get relativeAccuracy(): number {
    return this.mapping.alpha;
  }
  /** Number of values added (merged ones included). */
  get count(): number {
    return this.n;
  }
  get min(): number | null {
    return this.n === 0 ? null : this.lo;
  }
  get max(): number | null {
    return this.n === 0 ? null : this.hi;
  }
  get sum(): number {
    return this.total;
  }
  get mean(): number | null {
    return this.n === 0 ? null : this.total / this.n;
  }
  /** The most bins a sketch of this accuracy can hold (the zero bin included). */
  get maxBins(): number {
    return this.mapping.maxIndex - this.mapping.minIndex + 2;
  }
  /** Non-empty bins, the zero bin included: what the size of the sketch grows with. */
  get binCount(): number {
    let k = this.zeroCount > 0 ? 1 : 0;
    for (const c of this.counts) if (c > 0) k++;
    return k;
  }

  private valueOf(index: number): number {
    const g = this.mapping.gamma;
    return (2 * Math.pow(g, index)) / (g + 1);
  }

  /** Adds a latency in ms (`times` times). Throws on a negative or non-finite value. */
  add(value: number, times = 1): this {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`latency must be a finite number ≥ 0, not ${value}`);
    if (!Number.isInteger(times) || times < 1) throw new RangeError("times: a positive integer");
    if (value < MIN_VALUE_MS) this.zeroCount += times;
    else this.bump(Math.min(Math.ceil(Math.log(value) * this.mapping.multiplier), this.mapping.maxIndex), times);
    this.n += times;
    this.total += value * times;
    if (value < this.lo) this.lo = value;
    if (value > this.hi) this.hi = value;
    return this;
  }

  private bump(index: number, times: number): void {
    if (this.counts.length === 0) {
      this.offset = index;
      this.counts.push(times);
      return;
    }
    this.extendTo(index, index);
    this.counts[index - this.offset] += times;
  }

  /** Grows the dense range to cover [low, high]. */
  private extendTo(low: number, high: number): void {
    if (this.counts.length === 0) {
      this.offset = low;
      this.counts = new Array<number>(high - low + 1).fill(0);
      return;
    }
    if (low < this.offset) {
      this.counts = new Array<number>(this.offset - low).fill(0).concat(this.counts);
      this.offset = low;
    }
    const top = this.offset + this.counts.length - 1;
    if (high > top) for (let i = top; i < high; i++) this.counts.push(0);
  }

  /** Adds another sketch's values to this one (same accuracy only). */
  merge(other: LatencySketch): this {
    if (other.relativeAccuracy !== this.relativeAccuracy) throw new RangeError(`cannot merge sketches of accuracy ${other.relativeAccuracy} into ${this.relativeAccuracy}`);
    if (other.n === 0) return this;
    if (other.counts.length > 0) {
      this.extendTo(other.offset, other.offset + other.counts.length - 1);
      const shift = other.offset - this.offset;
      for (let i = 0; i < other.counts.length; i++) this.counts[i + shift] += other.counts[i];
    }
    this.zeroCount += other.zeroCount;
    this.n += other.n;
    this.total += other.total;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
    return this;
  }

  /** The value at quantile q (0…1), within the relative accuracy of the exact lower quantile; null when empty. */
  quantile(q: number): number | null {
    return this.quantiles([q])[0];
  }

  /** Several quantiles in one pass over the bins (any order). */
  quantiles(qs: readonly number[]): (number | null)[] {
    for (const q of qs) if (!(q >= 0 && q <= 1)) throw new RangeError("q must be between 0 and 1");
    if (this.n === 0) return qs.map(() => null);
    const order = qs.map((_, i) => i).sort((a, b) => qs[a] - qs[b]);
    const out = new Array<number | null>(qs.length);
    let seen = this.zeroCount;
    let i = -1;
    for (const k of order) {
      const q = qs[k];
      if (q === 0 || q === 1) {
        out[k] = q === 0 ? this.lo : this.hi;
        continue;
      }
      const rank = q * (this.n - 1);
      // still inside the zero bin, or walk on to the first bin whose cumulative count passes the rank
      let estimate = 0;
      if (seen <= rank || i >= 0) {
        while (seen <= rank && i < this.counts.length - 1) seen += this.counts[++i];
        estimate = this.valueOf(i + this.offset);
      }
      out[k] = Math.min(Math.max(estimate, this.lo), this.hi);
    }
    return out;
  }

  clone(): LatencySketch {
    return new LatencySketch(this.relativeAccuracy).merge(this);
  }

  toJSON(): LatencySketchJson {
    const b: [number, number][] = [];
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i] > 0) b.push([i + this.offset, this.counts[i]]);
    return { v: 1, a: this.relativeAccuracy, n: this.n, min: this.min, max: this.max, sum: this.total, z: this.zeroCount, b };
  }

  static fromJSON(json: LatencySketchJson): LatencySketch {
    if (json?.v !== 1 || !Array.isArray(json.b)) throw new SketchFormatError("not a latency sketch (v1)");
    const s = new LatencySketch(json.a);
    s.restore(json.z, json.b.flat(), json.n, json.min, json.max, json.sum);
    return s;
  }

  /** Sets the sketch from its parts; `bins` is flat: index, count, index, count… */
  private restore(zero: number, bins: readonly number[], n: number, min: number | null, max: number | null, sum: number): void {
    let total = zero;
    let low = Infinity;
    let high = -Infinity;
    for (let k = 0; k < bins.length; k += 2) {
      const index = bins[k];
      const count = bins[k + 1];
      if (!Number.isInteger(index) || index < this.mapping.minIndex || index > this.mapping.maxIndex || !Number.isInteger(count) || count < 1) throw new SketchFormatError("bad bin");
      total += count;
      if (index < low) low = index;
      if (index > high) high = index;
    }
    if (!Number.isInteger(zero) || zero < 0 || total !== n) throw new SketchFormatError("bin counts do not add up to the count");
    if (bins.length > 0) {
      this.offset = low;
      this.counts = new Array<number>(high - low + 1).fill(0);
      for (let k = 0; k < bins.length; k += 2) this.counts[bins[k] - low] += bins[k + 1];
    }
    this.zeroCount = zero;
    this.n = n;
    this.total = sum;
    if (n > 0) {
      if (min === null || max === null || !(min <= max)) throw new SketchFormatError("bad min/max");
      this.lo = min;
      this.hi = max;
    }
  }

  /**
   * Compact binary form for a BLOB column: version, α, count, min, max, sum, zero count, then the
   * non-empty bins as (index delta, count) varints. A minute of two checks takes ~40 bytes.
   */
  toBytes(): Uint8Array {
    const w = new ByteWriter(40 + this.counts.length * 3);
    w.byte(FORMAT_VERSION);
    w.varint(Math.round(this.relativeAccuracy * 1e4));
    w.varint(this.n);
    if (this.n > 0) {
      w.float64(this.lo);
      w.float64(this.hi);
      w.float64(this.total);
    }
    w.varint(this.zeroCount);
    let bins = 0;
    for (const c of this.counts) if (c > 0) bins++;
    w.varint(bins);
    let previous = 0;
    for (let i = 0; i < this.counts.length; i++) {
      if (this.counts[i] === 0) continue;
      const index = i + this.offset;
      w.varint(zigzag(index - previous));
      w.varint(this.counts[i]);
      previous = index;
    }
    return w.done();
  }

  static fromBytes(bytes: Uint8Array): LatencySketch {
    const r = new ByteReader(bytes);
    if (r.byte() !== FORMAT_VERSION) throw new SketchFormatError("not a latency sketch (v1)");
    const s = new LatencySketch(r.varint() / 1e4);
    const n = r.varint();
    const [min, max, sum] = n > 0 ? [r.float64(), r.float64(), r.float64()] : [null, null, 0];
    const zero = r.varint();
    const binTotal = r.varint();
    if (binTotal > s.maxBins) throw new SketchFormatError("too many bins");
    const bins = new Array<number>(binTotal * 2);
    let index = 0;
    for (let k = 0; k < binTotal; k++) {
      index += unzigzag(r.varint());
      bins[2 * k] = index;
      bins[2 * k + 1] = r.varint();
    }
    if (!r.atEnd()) throw new SketchFormatError("trailing bytes");
    s.restore(zero, bins, n, min, max, sum);
    return s;
  }

  /** The binary form as base64, for a TEXT column or JSON transport. */
  toBase64(): string {
    return Buffer.from(this.toBytes()).toString("base64");
  }
  static fromBase64(text: string): LatencySketch {
    return LatencySketch.fromBytes(Buffer.from(text, "base64"));
  }
}
