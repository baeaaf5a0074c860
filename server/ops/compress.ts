import type { IncomingMessage, ServerResponse } from "node:http";
import compression from "compression";

/** Bodies smaller than this go as they are: a compressed frame of a few hundred bytes saves nothing. */
export const COMPRESS_THRESHOLD = 1024;

/**
 * Compresses pages, JSON answers and static assets for clients that accept it: brotli (quality 4,
 * about gzip's speed, smaller) when `br` is accepted, else gzip; bodies under 1 KB, and types that
 * do not compress (images, already encoded bodies), as they are. `Vary: Accept-Encoding` is set.
 * Next's own compression (gzip only) is off in next.config.mjs so bodies are not encoded twice;
 * streamed pages are flushed chunk by chunk (Next calls `res.flush()`).
 */
export function responseCompressor(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return compression({ threshold: COMPRESS_THRESHOLD });
}
