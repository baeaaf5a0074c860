// Roll-ups kept up to date as checks land: results are counted into per-node minute records in
// memory, and drain() hands back deltas for the minute, hour and day tables. Records merge
// exactly, so the store adds each delta to the row it finds (read, merge, write in one
// transaction) and a late result simply lands in its own minute, hour and day on the next drain.
import { addSample, bucketOf, emptyRecord, foldRecords, type CheckSample, type Resolution, type RollupRecord } from "./rollup";

export interface RollupDelta {
  node: string;
  resolution: Resolution;
  record: RollupRecord;
}

export class RollupBuffer {
  /** per node, per minute bucket */
  private minutes = new Map<string, Map<number, RollupRecord>>();
  private pending = 0;

  /** Results held since the last drain. */
  get size(): number {
    return this.pending;
  }

  add(node: string, sample: CheckSample): void {
    if (!Number.isFinite(sample.time)) return;
    let byMinute = this.minutes.get(node);
    if (!byMinute) this.minutes.set(node, (byMinute = new Map()));
    const b = bucketOf(sample.time, "minute");
    let r = byMinute.get(b);
    if (!r) byMinute.set(b, (r = emptyRecord(b)));
    addSample(r, sample);
    this.pending++;
  }

  /** The deltas since the last drain, per node: its minutes and their fold into hours and days. */
  drain(): RollupDelta[] {
    const out: RollupDelta[] = [];
    for (const [node, byMinute] of this.minutes) {
      const minutes = [...byMinute.values()].sort((a, b) => a.bucket - b.bucket);
      for (const record of minutes) out.push({ node, resolution: "minute", record });
      for (const record of foldRecords(minutes, "hour")) out.push({ node, resolution: "hour", record });
      for (const record of foldRecords(minutes, "day")) out.push({ node, resolution: "day", record });
    }
    this.minutes = new Map();
    this.pending = 0;
    return out;
  }
}
