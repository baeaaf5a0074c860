/** Percentiles of how late runs started, over the most recent `capacity` runs; the max is over all. */
export interface LatenessFigures {
  samples: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
  /** runs that started more than a second after they were due */
  over_1s: number;
}

export class LatenessStats {
  private readonly ring: Float64Array;
  private count = 0;
  private max = 0;
  private over1s = 0;

  constructor(private readonly capacity = 4096) {
    this.ring = new Float64Array(capacity);
  }

  add(ms: number): void {
    const value = Math.max(0, ms);
    this.ring[this.count % this.capacity] = value;
    this.count++;
    if (value > this.max) this.max = value;
    if (value > 1000) this.over1s++;
  }

  figures(): LatenessFigures {
    const n = Math.min(this.count, this.capacity);
    const sorted = Array.from(this.ring.subarray(0, n)).sort((a, b) => a - b);
    const at = (p: number) => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)]);
    return { samples: this.count, p50_ms: at(50), p95_ms: at(95), p99_ms: at(99), max_ms: this.max, over_1s: this.over1s };
  }
}
