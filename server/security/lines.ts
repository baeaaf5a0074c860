import { BodyError, decodeUtf8 } from "../ingest/body";

/** What one log upload may cost; each limit is answered with a reason (README "Ingest limits"). */
export interface LineLimits {
  /** lines per request; more is 413 before any line is parsed */
  maxLines: number;
  /** bytes per line; a longer line is rejected by number, its neighbours go on */
  maxLineBytes: number;
}

export const DEFAULT_LINE_LIMITS: LineLimits = { maxLines: 100_000, maxLineBytes: 64 * 1024 };

/** One line of an upload: its 1-based number and its text, or why it cannot be read. */
export type LogLine = { line: number; text: string; error?: undefined } | { line: number; text?: undefined; error: string };

/**
 * Splits a log upload into lines on the bytes (LF or CRLF; a last line without a newline counts;
 * the empty tail after a final newline is not a line). Each line is decoded as strict UTF-8 on its
 * own, so one bad line costs only itself. Blank lines are returned as "" (the caller counts them
 * as skipped).
 */
export function splitLogLines(bytes: Uint8Array, limits: LineLimits = DEFAULT_LINE_LIMITS): LogLine[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) count++;
  if (buf.length > 0 && buf[buf.length - 1] !== 0x0a) count++;
  if (count > limits.maxLines) {
    throw new BodyError(413, "too_many_lines", `upload has ${count} lines; the limit is ${limits.maxLines} per request: split it`);
  }
  const out: LogLine[] = [];
  let n = 0;
  for (let start = 0; start < buf.length; ) {
    let end = buf.indexOf(0x0a, start);
    if (end < 0) end = buf.length;
    n++;
    let stop = end;
    if (stop > start && buf[stop - 1] === 0x0d) stop--;
    const raw = buf.subarray(start, stop);
    if (raw.length > limits.maxLineBytes) {
      out.push({ line: n, error: `line is ${raw.length} bytes; at most ${limits.maxLineBytes}` });
    } else {
      const text = decodeUtf8(raw);
      if (text === null) out.push({ line: n, error: "not valid UTF-8" });
      else out.push({ line: n, text: n === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text });
    }
    start = end + 1;
  }
  return out;
}
