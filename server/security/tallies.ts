import type Database from "better-sqlite3";
import { severityRank, type Severity } from "../../lib/contracts/common";

export const TALLY_SPANS = [60_000, 3_600_000] as const;
/** What is tallied: source, signature, account, service, kind; "none" counts events without a value of a dim (the dim's name is the value). */
export const TALLY_DIMS = ["src", "sig", "user", "svc", "kind", "none"] as const;
export type TallyDim = (typeof TALLY_DIMS)[number];
const ROWS_PER_UPSERT = 50;
const WIDTH = 9;

export interface Tally {
  dim: TallyDim;
  span: number;
  bucket: number;
  value: string;
  count: number;
  worst: number;
  rows: number;
  first: number;
  last: number;
}

/** What a tally counts of one event: its source (address or host name), signature and account. */
export interface TallyInput {
  time: number;
  severity: Severity;
  src_ip: string | null;
  src_host: string | null;
  signature: string | null;
  user: string | null;
  service: string | null;
  kind: string;
  occurrences: number;
}

/**
 * Folds a batch into per-minute and per-hour counts by source, signature, account, service and kind
 * (occurrences, stored rows, worst severity, first and last time): one upsert per distinct (dim,
 * span, bucket, value) in the batch, inside the caller's transaction. An event without a source,
 * signature, account or service is counted under ("none", that dim), so a grouping from tallies
 * has its "no value" group too. Returns the batch's folded tallies (what db/queries/tally-sums.ts
 * folds into its cached ranges once the transaction commits).
 */
export function prepareTallies(sqlite: Database.Database) {
  // several keys to a statement: one upsert statement per key cost about as much as the rest of the tally
  const statements = new Map<number, Database.Statement>();
  const upsert = (rows: number) => {
    let statement = statements.get(rows);
    if (!statement) {
      statement = sqlite.prepare(
        `INSERT INTO event_tallies (dim, span, bucket, value, count, worst, rows, first, last) VALUES ${Array.from({ length: rows }, () => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
         ON CONFLICT(dim, span, bucket, value) DO UPDATE SET count = count + excluded.count, worst = min(worst, excluded.worst),
           rows = rows + excluded.rows, first = min(first, excluded.first), last = max(last, excluded.last)`,
      );
      statements.set(rows, statement);
    }
    return statement;
  };
  return (events: readonly TallyInput[]): Tally[] => {
    // folded by dim → span → bucket → value: no key string built per event and tally
    const tallies: Tally[] = [];
    const folds = new Map<TallyDim, Map<number, Map<string, Tally>>[]>();
    const add = (dim: TallyDim, value: string | null, e: TallyInput) => {
      if (value === null) return add("none", dim, e);
      const rank = severityRank[e.severity];
      let spans = folds.get(dim);
      if (!spans) folds.set(dim, (spans = TALLY_SPANS.map(() => new Map())));
      for (let k = 0; k < TALLY_SPANS.length; k++) {
        const span = TALLY_SPANS[k];
        const bucket = Math.floor(e.time / span) * span;
        const buckets = spans[k];
        let values = buckets.get(bucket);
        if (!values) buckets.set(bucket, (values = new Map()));
        const seen = values.get(value);
        if (seen) {
          seen.count += e.occurrences;
          seen.worst = Math.min(seen.worst, rank);
          seen.rows++;
          if (e.time < seen.first) seen.first = e.time;
          if (e.time > seen.last) seen.last = e.time;
        } else {
          const t: Tally = { dim, span, bucket, value, count: e.occurrences, worst: rank, rows: 1, first: e.time, last: e.time };
          values.set(value, t);
          tallies.push(t);
        }
      }
    };
    for (const e of events) {
      add("src", e.src_ip ?? e.src_host, e);
      add("sig", e.signature, e);
      add("user", e.user, e);
      add("svc", e.service, e);
      add("kind", e.kind, e);
    }
    // the folded keys are distinct, so no two rows of one statement upsert the same tally; in key
    // order, so each statement walks the b-tree forward over neighbouring pages instead of jumping
    // around it (a quarter less CPU for the upserts: 0.8 → 0.6 CPU-s per 100,000 EVE events)
    const ordered = [...tallies].sort(byKey);
    for (let from = 0; from < tallies.length; from += ROWS_PER_UPSERT) {
      const n = Math.min(ROWS_PER_UPSERT, tallies.length - from);
      const params = new Array<unknown>(n * WIDTH);
      for (let k = 0; k < n; k++) {
        const t = ordered[from + k];
        const at = k * WIDTH;
        params[at] = t.dim;
        params[at + 1] = t.span;
        params[at + 2] = t.bucket;
        params[at + 3] = t.value;
        params[at + 4] = t.count;
        params[at + 5] = t.worst;
        params[at + 6] = t.rows;
        params[at + 7] = t.first;
        params[at + 8] = t.last;
      }
      upsert(n).run(params);
    }
    return tallies;
  };
}

/** The table's key order (dim, span, bucket, value); values compared as strings, close enough to SQLite's BINARY for locality. */
function byKey(a: Tally, b: Tally): number {
  if (a.dim !== b.dim) return a.dim < b.dim ? -1 : 1;
  if (a.span !== b.span) return a.span - b.span;
  if (a.bucket !== b.bucket) return a.bucket - b.bucket;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
