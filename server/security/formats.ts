import { BodyError, checkContentType, decodeUtf8, parseBatchBody } from "../ingest/body";
import type { NumberedOutcome } from "./ingest";
import { DEFAULT_LINE_LIMITS, splitLogLines, type LineLimits, type LogLine } from "./lines";
import { parseEveLine } from "./parsers/eve";
import { parseFastLine, parseFastUpload } from "./parsers/fast";
import { snort3CsvFieldList } from "./parsers/snort3";
import { parseSyslogLine, SUDO_CONTINUATION, SUDO_LOGFILE_ENTRY, syslogHost } from "./parsers/syslog";
import { parseTransactionCsv, parseTransactionRecord } from "./parsers/transactions";
import type { ParseContext, ParseOutcome } from "./types";
import { ACCEPTED_TYPES, JSON_SEQ, type NativeFormat } from "./content-types";

export type { NativeFormat };


const LINE_PARSERS: Record<"suricata" | "fast" | "syslog", (line: string, ctx: ParseContext) => ParseOutcome> = {
  suricata: parseEveLine,
  fast: parseFastLine,
  syslog: parseSyslogLine,
};

/**
 * One upload → one outcome per line (1-based line numbers; for a JSON array of transactions, the
 * element's index + 1). A blank line is skipped, counted. Limits: README "Ingest limits".
 */
export function parseUpload(format: NativeFormat, bytes: Uint8Array, contentType: string | null, ctx: ParseContext, limits: LineLimits = DEFAULT_LINE_LIMITS): NumberedOutcome[] {
  checkContentType(contentType, ACCEPTED_TYPES[format]);
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === JSON_SEQ) bytes = jsonSeqAsLines(bytes);
  if (format === "transactions" && type !== "text/csv") return parseTransactionJson(bytes, ctx, limits);
  const lines = splitLogLines(bytes, limits);
  if (lines.length === 0) throw new BodyError(400, "empty_body", "body is empty: send one line per event");
  if (format === "transactions") return parseCsv(bytes, ctx);
  if (format === "fast") {
    // ?fields= (Snort 3 alert_csv's field list) names fields it writes, or the upload is refused
    if (ctx.snort3CsvFields !== undefined) {
      const list = snort3CsvFieldList(ctx.snort3CsvFields);
      if (!list.ok) throw new BodyError(400, "invalid_fields", `fields: ${list.reason}`);
    }
    const outcomes = parseFastUpload(lines.map(({ line, text, error }) => ({ line, text: error !== undefined ? null : text })), ctx);
    return lines.map(({ line, error }, i) => ({ line, outcome: error !== undefined ? { status: "rejected", reason: error } : outcomes[i] }));
  }
  const parse = LINE_PARSERS[format];
  const joined = format === "syslog" ? joinSudoContinuations(lines) : lines;
  const outcomes: NumberedOutcome[] = joined.map(({ line, text, error }) => ({
    line,
    // RFC 7464's record separator before a record sent as text (a `jq --seq` file): not part of it
    outcome:
      error !== undefined ? { status: "rejected", reason: error }
      : text === null || text === undefined ? { status: "skipped", reason: SUDO_JOINED }
      : text.trim() === "" ? { status: "skipped", reason: "blank line" }
      : parse(text.charCodeAt(0) === 0x1e ? text.slice(1) : text, ctx),
  }));
  return format === "syslog" && outcomes.some((o) => o.outcome.status === "skipped" && o.outcome.repeat) ? foldRepeats(outcomes, joined, ctx) : outcomes;
}

const SUDO_JOINED = "sudo log: a continuation line, read with the entry above it";
const JOINED_MAX = DEFAULT_LINE_LIMITS.maxLineBytes;

/**
 * sudo's own log file wraps an entry past `loglinelen` (80) at a blank and indents the rest by 4
 * spaces: such lines are joined (by one blank, the one sudo broke at) to the entry they continue,
 * which is then read whole; their own text becomes null (answered skipped, SUDO_JOINED).
 */
function joinSudoContinuations(lines: readonly LogLine[]): readonly { line: number; text?: string | null; error?: string }[] {
  let out: { line: number; text?: string | null; error?: string }[] | null = null;
  let entry = -1;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i].text;
    if (text === undefined) {
      entry = -1;
      continue;
    }
    if (entry >= 0 && SUDO_CONTINUATION.test(text)) {
      out ??= lines.slice();
      const head = out[entry].text ?? "";
      // (an entry stays within the line limit: what would pass it is not joined, its lines still skipped)
      if (head.length + text.length <= JOINED_MAX) out[entry] = { line: out[entry].line, text: `${head} ${text.trim()}` };
      out[i] = { line: lines[i].line, text: null };
      continue;
    }
    entry = SUDO_LOGFILE_ENTRY.test(text) ? i : -1;
  }
  return out ?? lines;
}

/**
 * BSD syslog's "last message repeated N times" (no tag: the host's previous message again): when
 * the host's previous line in the upload is an event, that event happened N more times (its
 * `occurrences` grow, as sshd's own "message repeated N times: [ … ]" does) and the marker line is
 * skipped saying so (a fixed reason: `skipped_by` counts by reason); otherwise it stays skipped with the reason.
 */
function foldRepeats(outcomes: NumberedOutcome[], lines: readonly { text?: string | null }[], ctx: ParseContext): NumberedOutcome[] {
  const previous = new Map<string, NumberedOutcome>();
  const hostOf = (o: NumberedOutcome, i: number): string | null | undefined => {
    if (o.outcome.status === "event") {
      const h = (o.outcome.event.attributes as { host?: unknown } | null)?.host;
      return typeof h === "string" ? h : null;
    }
    // a line that is not an event (cron, a session line …) is still the host's previous line
    return o.outcome.status === "skipped" && o.outcome.reason !== "blank line" && o.outcome.reason !== SUDO_JOINED ? syslogHost(lines[i].text ?? "", ctx) : undefined;
  };
  for (let i = 0; i < outcomes.length; i++) {
    const o = outcomes[i];
    const out = o.outcome;
    if (out.status === "skipped" && out.repeat) {
      const before = previous.get(out.repeat.host ?? "");
      if (before?.outcome.status === "event") {
        before.outcome.event.occurrences += out.repeat.times;
        o.outcome = { status: "skipped", reason: "last message repeated: counted on the host's previous line" };
      }
      continue;
    }
    const host = hostOf(o, i);
    if (host !== undefined) previous.set(host ?? "", o);
  }
  return outcomes;
}

const NEWLINE = Buffer.from("\n");

/**
 * An RFC 7464 JSON text sequence as NDJSON: each record (the bytes after an RS, 0x1E) on one line,
 * its line breaks (whitespace between JSON tokens: a JSON string cannot hold a raw one) made
 * blanks, so a pretty-printed record is one line and the answer numbers records. Bytes before the
 * first RS count as a record. RS never occurs inside a UTF-8 sequence, so the bytes are split as they are.
 */
export function jsonSeqAsLines(bytes: Uint8Array): Uint8Array {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Buffer[] = [];
  for (let start = 0; start <= buf.length; ) {
    let end = buf.indexOf(0x1e, start);
    if (end < 0) end = buf.length;
    const blank = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
    let a = start;
    let z = end;
    while (a < z && blank(buf[a])) a++;
    while (z > a && blank(buf[z - 1])) z--;
    if (z > a) {
      const record = Buffer.from(buf.subarray(a, z));
      for (let i = 0; i < record.length; i++) if (record[i] === 0x0a || record[i] === 0x0d) record[i] = 0x20;
      parts.push(record);
    }
    start = end + 1;
  }
  return Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [p] : [NEWLINE, p])));
}

function parseTransactionJson(bytes: Uint8Array, ctx: ParseContext, limits: LineLimits): NumberedOutcome[] {
  const { items, malformed } = parseBatchBody(bytes, { maxItems: limits.maxLines, maxLineBytes: limits.maxLineBytes, maxDepth: 32 });
  const bad = new Map(malformed.map((m) => [m.index, m.error]));
  return items.map((item, index) => ({
    line: index + 1,
    outcome: bad.has(index) ? { status: "rejected", reason: bad.get(index)! } : parseTransactionRecord(item, ctx),
  }));
}

/** CSV with a header row (records may span lines inside quotes): numbered by record, the header being 1. */
function parseCsv(bytes: Uint8Array, ctx: ParseContext): NumberedOutcome[] {
  const text = decodeUtf8(bytes);
  if (text === null) throw new BodyError(400, "invalid_utf8", "body is not valid UTF-8");
  const outcomes = parseTransactionCsv(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, ctx);
  if (outcomes.length === 1 && outcomes[0].status === "rejected" && /header/i.test(outcomes[0].reason)) {
    throw new BodyError(400, "invalid_csv", outcomes[0].reason);
  }
  return outcomes.map((outcome, i) => ({ line: i + 2, outcome }));
}
