import type Database from "better-sqlite3";
import { severityRank, type Severity } from "../../lib/contracts/common";

export const TALLY_SPANS = [60_000, 3_600_000] as const;
export type TallyDim = "src" | "sig" | "user";
const ROWS_PER_UPSERT = 50;

interface Tally {
  dim: TallyDim;
  span: number;
  bucket: number;
  value: string;
  count: number;
  worst: number;
}

/** What a tally counts of one event: its source (address or host name), signature and account. */
export interface TallyInput {
  time: number;
  severity: Severity;
  src_ip: string | null;
  src_host: string | null;
  signature: string | null;
  user: string | null;
  occurrences: number;
}

/**
 * Folds a batch into per-minute and per-hour counts by source, signature and account: one upsert
 * per distinct (dim, span, bucket, value) in the batch, inside the caller's transaction.
 */
export function prepareTallies(sqlite: Database.Database) {
  // several keys to a statement: one upsert statement per key cost about as much as the rest of the tally
  const statements = new Map<number, Database.Statement>();
  const upsert = (rows: number) => {
    let statement = statements.get(rows);
    if (!statement) {
      statement = sqlite.prepare(
        `INSERT INTO event_tallies (dim, span, bucket, value, count, worst) VALUES ${Array.from({ length: rows }, () => "(?, ?, ?, ?, ?, ?)").join(", ")}
         ON CONFLICT(dim, span, bucket, value) DO UPDATE SET count = count + excluded.count, worst = min(worst, excluded.worst)`,
      );
      statements.set(rows, statement);
    }
    return statement;
  };
  return (events: readonly TallyInput[]): void => {
    // folded by (dim, span) → bucket → value: no key string built per event and tally
    const tallies: Tally[] = [];
    const folds = new Map<string, Map<number, Map<string, Tally>>>();
    const add = (dim: TallyDim, value: string | null, e: TallyInput) => {
      if (!value) return;
      const rank = severityRank[e.severity];
      for (const span of TALLY_SPANS) {
        const bucket = Math.floor(e.time / span) * span;
        const fold = `${dim}${span}`;
        let buckets = folds.get(fold);
        if (!buckets) folds.set(fold, (buckets = new Map()));
        let values = buckets.get(bucket);
        if (!values) buckets.set(bucket, (values = new Map()));
        const seen = values.get(value);
        if (seen) {
          seen.count += e.occurrences;
          seen.worst = Math.min(seen.worst, rank);
        } else {
          const t: Tally = { dim, span, bucket, value, count: e.occurrences, worst: rank };
          values.set(value, t);
          tallies.push(t);
        }
      }
    };
    for (const e of events) {
      add("src", e.src_ip ?? e.src_host, e);
      add("sig", e.signature, e);
      add("user", e.user, e);
    }
    // the folded keys are distinct, so no two rows of one statement upsert the same tally
    for (let from = 0; from < tallies.length; from += ROWS_PER_UPSERT) {
      const n = Math.min(ROWS_PER_UPSERT, tallies.length - from);
      const params = new Array<unknown>(n * 6);
      for (let k = 0; k < n; k++) {
        const t = tallies[from + k];
        params[k * 6] = t.dim;
        params[k * 6 + 1] = t.span;
        params[k * 6 + 2] = t.bucket;
        params[k * 6 + 3] = t.value;
        params[k * 6 + 4] = t.count;
        params[k * 6 + 5] = t.worst;
      }
      upsert(n).run(params);
    }
  };
}
