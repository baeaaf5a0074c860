import type { z } from "zod";
import { describeZodError } from "../../lib/contracts/common";

export interface Rejection {
  index: number;
  error: string;
}

export interface IngestResult {
  accepted: number;
  rejected: Rejection[];
}

/** Splits a batch into valid items (with their index) and rejections naming what was wrong. */
export function validateBatch<S extends z.ZodType>(items: readonly unknown[], schema: S, malformed: readonly Rejection[] = []) {
  const valid: { index: number; value: z.output<S> }[] = [];
  const rejected: Rejection[] = [...malformed];
  const skip = new Set(malformed.map((m) => m.index));
  items.forEach((item, index) => {
    if (skip.has(index)) return;
    const parsed = schema.safeParse(item);
    if (parsed.success) valid.push({ index, value: parsed.data });
    else rejected.push({ index, error: describeZodError(parsed.error) });
  });
  rejected.sort((a, b) => a.index - b.index);
  return { valid, rejected };
}
