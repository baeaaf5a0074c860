import { MAX_REJECTIONS_LISTED } from "../ingest/validate";
import { maskCardNumbers } from "./masking";

/**
 * The answer to every native ingest (Suricata, fast.log, syslog, transactions): every line is
 * accepted, skipped (well-formed but not security-relevant), a duplicate of a line already stored,
 * or rejected with a reason. `rejected` lists the first rejections; `rejected_total` counts all.
 */
export interface LogIngestResult {
  accepted: number;
  skipped: number;
  duplicates: number;
  rejected: { line: number; reason: string }[];
  rejected_total: number;
  /** skipped lines by reason ("eve dns: context, not stored": 936); at most 50 reasons, the rest under "other" */
  skipped_by: Record<string, number>;
}

const MAX_SKIP_REASONS = 50;

/** Collects the outcome of each line of one upload. */
export class LogOutcomes {
  accepted = 0;
  duplicates = 0;
  skipped = 0;
  rejectedTotal = 0;
  private readonly rejections: { line: number; reason: string }[] = [];
  private readonly skippedBy = new Map<string, number>();

  /** A reason quotes what the line held, so card numbers in it are masked as in stored events. */
  reject(line: number, reason: string): void {
    this.rejectedTotal++;
    if (this.rejections.length < MAX_REJECTIONS_LISTED) this.rejections.push({ line, reason: maskCardNumbers(reason) });
  }

  skip(reason: string): void {
    this.skipped++;
    // masked once per new reason (a reason already counted is a key already masked)
    if (!this.skippedBy.has(reason)) reason = maskCardNumbers(reason);
    const key = this.skippedBy.has(reason) || this.skippedBy.size < MAX_SKIP_REASONS ? reason : "other";
    this.skippedBy.set(key, (this.skippedBy.get(key) ?? 0) + 1);
  }

  result(): LogIngestResult {
    return {
      accepted: this.accepted,
      skipped: this.skipped,
      duplicates: this.duplicates,
      rejected: [...this.rejections].sort((a, b) => a.line - b.line),
      rejected_total: this.rejectedTotal,
      skipped_by: Object.fromEntries(this.skippedBy),
    };
  }
}
