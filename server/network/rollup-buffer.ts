// Roll-ups kept up to date as checks land: each result is counted into its node's minute, hour
// and day records in memory, and drain() hands them back as deltas. Records merge exactly, so the
// store adds each delta to the row it holds (read, merge, write, in one transaction) and a late
// result simply lands in its own buckets on a later drain. Draining minutes often and hours and
// days less often, or only closed buckets, trades freshness for fewer row writes.
import { addSample, bucketOf, emptyRecord, RESOLUTION_MS, RESOLUTIONS, type CheckSample, type Resolution, type RollupRecord } from "./rollup";

export interface RollupDelta {
  node: string;
  resolution: Resolution;
  record: RollupRecord;
}

export interface DrainOptions {
  /** which tables to hand back (default all three) */
  resolutions?: readonly Resolution[];
  /** only buckets that ended by then (closed ones); default every bucket */
  closed_by?: number;
}

export class RollupBuffer {
  /** per resolution, per node, per bucket */
  private held: Record<Resolution, Map<string, Map<number, RollupRecord>>> = { minute: new Map(), hour: new Map(), day: new Map() };
  private added = 0;

  /** Results added since the buffer was made. */
  get count(): number {
    return this.added;
  }

  add(node: string, sample: CheckSample): void {
    if (!Number.isFinite(sample.time)) return;
    for (const resolution of RESOLUTIONS) {
      const byNode = this.held[resolution];
      let byBucket = byNode.get(node);
      if (!byBucket) byNode.set(node, (byBucket = new Map()));
      const b = bucketOf(sample.time, resolution);
      let r = byBucket.get(b);
      if (!r) byBucket.set(b, (r = emptyRecord(b)));
      addSample(r, sample);
    }
    this.added++;
  }

  /** The records held, as deltas to add to the stored rows; what is handed back is no longer held. */
  drain(options: DrainOptions = {}): RollupDelta[] {
    const out: RollupDelta[] = [];
    for (const resolution of options.resolutions ?? RESOLUTIONS) {
      const byNode = this.held[resolution];
      const size = RESOLUTION_MS[resolution];
      for (const [node, byBucket] of byNode) {
        for (const [bucket, record] of byBucket) {
          if (options.closed_by !== undefined && bucket + size > options.closed_by) continue;
          out.push({ node, resolution, record });
          byBucket.delete(bucket);
        }
        if (byBucket.size === 0) byNode.delete(node);
      }
    }
    return out;
  }

  /** Records held per resolution (what memory grows with). */
  heldRecords(): Record<Resolution, number> {
    const count = (r: Resolution) => [...this.held[r].values()].reduce((s, m) => s + m.size, 0);
    return { minute: count("minute"), hour: count("hour"), day: count("day") };
  }
}
