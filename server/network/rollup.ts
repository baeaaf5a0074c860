// Roll-ups of check results per node: per minute, folded into hours and days, and the reader that
// answers a chart from the coarsest of them that still has a row per chart point, so that a 30-day
// chart reads ~720 hour rows (or 30 day rows) and never the raw checks. Pure: the service stores
// and loads the records; buckets are UTC-aligned ([bucket, bucket + size)).
//
// Only successful checks give latency: a timeout's 5 s or a refused connection's 1 ms says
// nothing about how fast the node answers (Uptime Kuma keeps pings of UP beats only). Failed
// checks count in `failures`.
import { DEFAULT_RELATIVE_ACCURACY, LatencySketch } from "./latency-sketch";

export type Resolution = "minute" | "hour" | "day";
export const RESOLUTIONS: readonly Resolution[] = ["minute", "hour", "day"];
export const RESOLUTION_MS: Readonly<Record<Resolution, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** A check result as the roll-ups read it. */
export interface CheckSample {
  time: number;
  ok: boolean;
  latency_ms: number | null;
}

export interface RollupRecord {
  /** start of the bucket (UTC ms) */
  bucket: number;
  /** checks in the bucket */
  count: number;
  failures: number;
  /** latencies of the successful checks */
  sketch: LatencySketch;
}

/** The record as a table row holds it: the sketch as its compact bytes (a BLOB). */
export interface RollupRow {
  bucket: number;
  count: number;
  failures: number;
  sketch: Uint8Array;
}

export const bucketOf = (time: number, resolution: Resolution): number => Math.floor(time / RESOLUTION_MS[resolution]) * RESOLUTION_MS[resolution];

export const emptyRecord = (bucket: number, accuracy = DEFAULT_RELATIVE_ACCURACY): RollupRecord => ({ bucket, count: 0, failures: 0, sketch: new LatencySketch(accuracy) });

/** Counts one result into a record (mutated). */
export function addSample(record: RollupRecord, sample: CheckSample): RollupRecord {
  record.count++;
  if (!sample.ok) record.failures++;
  else if (sample.latency_ms !== null && Number.isFinite(sample.latency_ms) && sample.latency_ms >= 0) record.sketch.add(sample.latency_ms);
  return record;
}

/** Adds `from` into `into` (mutated); order and grouping do not matter. */
export function mergeRecord(into: RollupRecord, from: RollupRecord): RollupRecord {
  into.count += from.count;
  into.failures += from.failures;
  into.sketch.merge(from.sketch);
  return into;
}

/** Per-minute records of results in any order, sorted by bucket. */
export function rollMinutes(samples: Iterable<CheckSample>): RollupRecord[] {
  return rollInto(samples, "minute");
}

function rollInto(samples: Iterable<CheckSample>, resolution: Resolution): RollupRecord[] {
  const byBucket = new Map<number, RollupRecord>();
  for (const s of samples) {
    if (!Number.isFinite(s.time)) continue;
    const b = bucketOf(s.time, resolution);
    let r = byBucket.get(b);
    if (!r) byBucket.set(b, (r = emptyRecord(b)));
    addSample(r, s);
  }
  return [...byBucket.values()].sort((a, b) => a.bucket - b.bucket);
}

/** Records of a finer resolution folded into hours or days (the inputs are not changed), sorted. */
export function foldRecords(records: Iterable<RollupRecord>, to: Resolution): RollupRecord[] {
  const byBucket = new Map<number, RollupRecord>();
  for (const r of records) {
    const b = bucketOf(r.bucket, to);
    let acc = byBucket.get(b);
    if (!acc) byBucket.set(b, (acc = emptyRecord(b, r.sketch.relativeAccuracy)));
    mergeRecord(acc, r);
  }
  return [...byBucket.values()].sort((a, b) => a.bucket - b.bucket);
}

export const toRow = (r: RollupRecord): RollupRow => ({ bucket: r.bucket, count: r.count, failures: r.failures, sketch: r.sketch.toBytes() });
export const fromRow = (row: RollupRow): RollupRecord => ({ bucket: row.bucket, count: row.count, failures: row.failures, sketch: LatencySketch.fromBytes(row.sketch) });

// ---- the chart reader

export interface ChartQuery {
  from: number;
  to: number;
  /** how many points the chart wants (its width in samples) */
  points: number;
}

export interface ChartOptions {
  /** the time of the query, for retention; without it every resolution is taken as complete */
  now?: number;
  /** how long each resolution is kept (ms); absent: forever */
  retention?: Partial<Record<Resolution, number>>;
  /** the most rows one chart may read (default 1,500: a day of minutes, 60 days of hours) */
  max_rows?: number;
}

export interface ChartPlan {
  resolution: Resolution;
  /** one point per step, a whole number of records */
  step_ms: number;
  /** the first point (step-aligned, at or before the query's from) and the end of the last */
  from: number;
  to: number;
  /** how many records of the resolution the range can hold: what the query reads at most */
  rows: number;
}

export interface ChartPoint {
  t: number;
  count: number;
  failures: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export const DEFAULT_MAX_ROWS = 1_500;
const CHART_QUANTILES = [0.5, 0.95, 0.99];

/**
 * The coarsest resolution whose records are no longer than a chart point, kept far enough back
 * for the range, and within the row budget; coarser when the finer one is not kept or would read
 * too many rows (the chart then gets fewer, wider points than it asked for).
 */
export function planChart(query: ChartQuery, options: ChartOptions = {}): ChartPlan {
  if (!(query.to > query.from) || !(query.points >= 1)) throw new RangeError("chart: from < to and at least one point");
  const maxRows = options.max_rows ?? DEFAULT_MAX_ROWS;
  const wanted = (query.to - query.from) / query.points;
  const planFor = (resolution: Resolution): ChartPlan => {
    const size = RESOLUTION_MS[resolution];
    const step = Math.max(1, Math.ceil(wanted / size)) * size;
    const from = Math.floor(query.from / step) * step;
    return { resolution, step_ms: step, from, to: query.to, rows: Math.ceil((query.to - from) / size) };
  };
  const kept = (p: ChartPlan) => options.now === undefined || options.retention?.[p.resolution] === undefined || options.now - options.retention[p.resolution]! <= p.from;
  // the coarsest no longer than a point, then coarser until kept and within budget
  let i = Math.max(0, RESOLUTIONS.findLastIndex((r) => RESOLUTION_MS[r] <= wanted));
  let plan = planFor(RESOLUTIONS[i]);
  while (i < RESOLUTIONS.length - 1 && (!kept(plan) || plan.rows > maxRows)) plan = planFor(RESOLUTIONS[++i]);
  return plan;
}

/** Chart points from records of the plan's resolution (others in the list are a caller's error and ignored by bucket). */
export function chartSeries(plan: ChartPlan, records: Iterable<RollupRecord>): ChartPoint[] {
  const n = Math.ceil((plan.to - plan.from) / plan.step_ms);
  const acc: (RollupRecord | null)[] = new Array(n).fill(null);
  const shared = new Array<boolean>(n).fill(false);
  for (const r of records) {
    if (r.bucket < plan.from || r.bucket >= plan.to) continue;
    const k = Math.floor((r.bucket - plan.from) / plan.step_ms);
    const a = acc[k];
    if (!a) {
      // one record per point is the usual case: read it as it is
      acc[k] = r;
      shared[k] = true;
    } else if (shared[k]) {
      acc[k] = mergeRecord(mergeRecord(emptyRecord(a.bucket, a.sketch.relativeAccuracy), a), r);
      shared[k] = false;
    } else mergeRecord(a, r);
  }
  return acc.map((r, k): ChartPoint => {
    const t = plan.from + k * plan.step_ms;
    if (!r) return { t, count: 0, failures: 0, p50: null, p95: null, p99: null, max: null };
    const [p50, p95, p99] = r.sketch.quantiles(CHART_QUANTILES);
    return { t, count: r.count, failures: r.failures, p50, p95, p99, max: r.sketch.max };
  });
}

/** Where a chart's records come from: the service's query on the planned table, or records at hand. */
export type RecordSource = ((resolution: Resolution, from: number, to: number) => Iterable<RollupRecord>) | Partial<Record<Resolution, readonly RollupRecord[]>>;

/** Plans the chart, reads only the planned resolution over the planned range, and answers the points. */
export function readChart(query: ChartQuery, source: RecordSource, options: ChartOptions = {}): { plan: ChartPlan; points: ChartPoint[] } {
  const plan = planChart(query, options);
  const records = typeof source === "function" ? source(plan.resolution, plan.from, plan.to) : (source[plan.resolution] ?? []);
  return { plan, points: chartSeries(plan, records) };
}
