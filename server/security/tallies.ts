import type Database from "better-sqlite3";
import { severityRank, type Severity } from "../../lib/contracts/common";

export const TALLY_SPANS = [60_000, 3_600_000] as const;
export type TallyDim = "src" | "sig" | "user";

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
  const upsert = sqlite.prepare<[string, number, number, string, number, number]>(
    `INSERT INTO event_tallies (dim, span, bucket, value, count, worst) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(dim, span, bucket, value) DO UPDATE SET count = count + excluded.count, worst = min(worst, excluded.worst)`,
  );
  return (events: readonly TallyInput[]): void => {
    const folded = new Map<string, { dim: TallyDim; span: number; bucket: number; value: string; count: number; worst: number }>();
    const add = (dim: TallyDim, value: string | null, e: TallyInput) => {
      if (!value) return;
      for (const span of TALLY_SPANS) {
        const bucket = Math.floor(e.time / span) * span;
        const key = `${dim}\u0000${span}\u0000${bucket}\u0000${value}`;
        const seen = folded.get(key);
        const rank = severityRank[e.severity];
        if (seen) {
          seen.count += e.occurrences;
          seen.worst = Math.min(seen.worst, rank);
        } else folded.set(key, { dim, span, bucket, value, count: e.occurrences, worst: rank });
      }
    };
    for (const e of events) {
      add("src", e.src_ip ?? e.src_host, e);
      add("sig", e.signature, e);
      add("user", e.user, e);
    }
    for (const t of folded.values()) upsert.run(t.dim, t.span, t.bucket, t.value, t.count, t.worst);
  };
}
