// Zod-free: the browser reads these (see values/common.ts). The browser checks what the socket
// brings with these guards rather than with batchSchema and resyncSchema (lib/contracts/live.ts),
// which would bring zod along; values/live.test.ts holds the two to the same verdicts.
import type { Batch, Resync, Stream } from "../live";

export const STREAMS = ["network", "security", "incidents"] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
export const isStream = (v: unknown): v is Stream => (STREAMS as readonly unknown[]).includes(v);
// as z.number().int().positive(): a safe integer, so NaN, Infinity and 2^53 are refused too
const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/**
 * A batch as batchSchema accepts it: a known stream, positive whole sequence numbers, items in an
 * array. The items themselves are not looked into (the schema took them as unknown): each
 * stream's apply reads its own.
 */
export function isBatch(raw: unknown): raw is Batch {
  return isObject(raw) && isStream(raw.stream) && isSeq(raw.seq_from) && isSeq(raw.seq_to) && Array.isArray(raw.items);
}

/** A resync order as resyncSchema accepts it: a known stream and a reason. */
export function isResync(raw: unknown): raw is Resync {
  return isObject(raw) && isStream(raw.stream) && typeof raw.reason === "string";
}
