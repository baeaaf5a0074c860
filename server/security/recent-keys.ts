/**
 * The most recently added keys, at most `2 × perGeneration` of them: two generations of a Set; when
 * the newer one fills, the older is dropped whole and the newer takes its place. Lookups and adds
 * are O(1), memory is bounded, and a key is remembered for at least `perGeneration` adds after it.
 * Used to find re-sent EVE flow records, which are not stored and so have no fingerprint row.
 */
export class RecentKeys {
  private older = new Set<string>();
  private newer = new Set<string>();

  constructor(private readonly perGeneration: number) {
    if (!(perGeneration >= 1)) throw new RangeError("perGeneration must be at least 1");
  }

  has(key: string): boolean {
    return this.newer.has(key) || this.older.has(key);
  }

  add(key: string): void {
    if (this.has(key)) return;
    if (this.newer.size >= this.perGeneration) {
      this.older = this.newer;
      this.newer = new Set();
    }
    this.newer.add(key);
  }

  get size(): number {
    return this.older.size + this.newer.size;
  }
}
