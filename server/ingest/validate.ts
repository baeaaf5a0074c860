import type { z } from "zod";
import { describeZodError } from "../../lib/contracts/common";
import { outsideWindow } from "../../lib/time/instant";
import { maskCardNumbers } from "../security/masking";

export interface Rejection {
  index: number;
  error: string;
}

/**
 * The answer to every ingest: how many items were stored, the first rejections (by index, with
 * the reason) and the true count of rejections, which the list never stands in for.
 */
export interface IngestResult {
  accepted: number;
  rejected: Rejection[];
  rejected_total: number;
}

/** Rejections listed in an answer; `rejected_total` counts every one. */
export const MAX_REJECTIONS_LISTED = 100;

/** Collects rejections: every one is counted, the first `max` by index are kept. */
export class Rejections {
  private readonly kept: Rejection[] = [];
  total = 0;

  constructor(private readonly max = MAX_REJECTIONS_LISTED) {}

  add(index: number, error: string): void {
    this.total += 1;
    // a reason may quote what was sent: card numbers in it are masked as in stored events
    if (this.kept.length < this.max) this.kept.push({ index, error: maskCardNumbers(error) });
    else if (index < this.kept[this.kept.length - 1].index) {
      // out of index order (a late check): keep the lowest indexes
      this.kept[this.kept.length - 1] = { index, error: maskCardNumbers(error) };
      this.kept.sort((a, b) => a.index - b.index);
    }
  }

  result(accepted: number): IngestResult {
    return { accepted, rejected: [...this.kept].sort((a, b) => a.index - b.index), rejected_total: this.total };
  }
}

/**
 * Splits a batch into valid items (with their index) and rejections naming what was wrong.
 * `check` adds a rule the schema cannot know (the time window, which needs the clock).
 */
export function validateBatch<S extends z.ZodType>(
  items: readonly unknown[],
  schema: S,
  malformed: readonly Rejection[] = [],
  check?: (value: z.output<S>) => string | null,
) {
  const valid: { index: number; value: z.output<S> }[] = [];
  const rejected = new Rejections();
  const skip = new Set(malformed.map((m) => m.index));
  let m = 0;
  items.forEach((item, index) => {
    if (skip.has(index)) {
      while (m < malformed.length && malformed[m].index <= index) rejected.add(malformed[m].index, malformed[m++].error);
      return;
    }
    const parsed = schema.safeParse(item);
    if (!parsed.success) return rejected.add(index, describeZodError(parsed.error));
    const error = check?.(parsed.data);
    if (error) return rejected.add(index, error);
    valid.push({ index, value: parsed.data });
  });
  while (m < malformed.length) rejected.add(malformed[m].index, malformed[m++].error);
  return { valid, rejected };
}

/** The instants Vigil stores: not older than the retention, not further ahead than the skew. */
export interface TimeWindow {
  retentionMs: number;
  /** how far ahead of the server's clock a sensor's time may be (its clock may run fast) */
  skewMs: number;
}

export const DEFAULT_TIME_WINDOW: TimeWindow = { retentionMs: 7 * 86_400_000, skewMs: 5 * 60_000 };

/** A `validateBatch` check refusing items whose `time` falls outside the window at `now()`. */
export function timeWindowCheck(now: () => number, window: TimeWindow) {
  return (value: { time?: number }): string | null => {
    if (value.time === undefined) return null;
    const error = outsideWindow(value.time, now(), window.retentionMs, window.skewMs);
    return error ? `time: ${error}` : null;
  };
}
