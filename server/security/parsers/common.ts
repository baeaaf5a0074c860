import crypto, { createHash } from "node:crypto";
import { severityRank, type Severity } from "../../../lib/contracts/common";
import { canonicalIp } from "../../../lib/net/ip";
import { maskCardNumbers, maskDeep } from "../masking";
import type { LogFormat, ParseContext, ParseOutcome, ParsedEvent } from "../types";

/** A line longer than this (UTF-8 bytes) is rejected without being parsed. */
export const MAX_LINE_BYTES = 65_536;
/** `raw` is cut to this many UTF-8 bytes, with a visible marker. */
export const MAX_RAW_BYTES = 8_192;
// the stored columns' limits (README "POST /api/v1/events"): longer text is cut, marked with "…"
const MAX_USER = 256;
const MAX_SIGNATURE = 1_024;
const MAX_MESSAGE = 8_192;
const MAX_ATTRIBUTE_TEXT = 1_024;

const thousands = (n: number) => n.toLocaleString("en-US");

export type Prepared = { ok: true; line: string } | { ok: false; outcome: ParseOutcome };

/**
 * What every parser does first: refuses a line over 64 KiB without looking further, drops one
 * trailing `\r` (and `\n`) and a leading byte-order mark, and calls an empty line skipped.
 */
export function prepareLine(line: string): Prepared {
  if (typeof line !== "string") return { ok: false, outcome: { status: "rejected", reason: "line: not text" } };
  // a UTF-16 code unit is 1 to 3 UTF-8 bytes: count exactly only when the length cannot decide
  if (line.length * 3 > MAX_LINE_BYTES) {
    const bytes = Buffer.byteLength(line, "utf8");
    if (bytes > MAX_LINE_BYTES) return { ok: false, outcome: { status: "rejected", reason: `line is ${thousands(bytes)} bytes; at most ${thousands(MAX_LINE_BYTES)}` } };
  }
  let text = line;
  if (text.endsWith("\n")) text = text.slice(0, -1);
  if (text.endsWith("\r")) text = text.slice(0, -1);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") return { ok: false, outcome: { status: "skipped", reason: "empty line" } };
  return { ok: true, line: text };
}

/** Runs a parser body; anything it throws becomes a rejection, never an escape. */
export function guarded(body: () => ParseOutcome): ParseOutcome {
  try {
    return body();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { status: "rejected", reason: `unparseable: ${clipReason(message)}` };
  }
}

/** `${format}:${first 32 hex of sha256(line)}`: the same line always gives the same fingerprint. */
export function fingerprintOf(format: LogFormat, line: string): string {
  return `${format}:${sha256Hex(line).slice(0, 32)}`;
}

// crypto.hash (Node ≥ 20.12) hashes a short input in one call, about twice as fast as createHash
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;

/** The sha256 of text (UTF-8) in hex. */
export function sha256Hex(text: string): string {
  return oneShot ? oneShot("sha256", text, "hex") : createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * Text cut to `max` UTF-8 bytes, ending in `…[truncated N bytes]`; the cut falls on a character
 * boundary and never inside a run of digits.
 */
export function capBytes(text: string, max = MAX_RAW_BYTES): string {
  if (text.length * 3 <= max) return text;
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= max) return text;
  // the marker for the whole length is at least as long as the one for the part removed
  const room = max - Buffer.byteLength(`…[truncated ${thousands(buf.length)} bytes]`, "utf8");
  let end = Math.max(0, room);
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--; // not inside a multi-byte character
  // nor inside a number: a cut-off part of a longer number could read as a card number
  while (end > 0 && ((buf[end - 1] >= 0x30 && buf[end - 1] <= 0x39) || buf[end - 1] === 0x20 || buf[end - 1] === 0x2d)) end--;
  return `${buf.subarray(0, end).toString("utf8")}…[truncated ${thousands(buf.length - end)} bytes]`;
}

/** Text cut to `max` UTF-16 units, marked with a trailing "…" (never half a surrogate pair). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** Attacker text quoted for a reason: JSON-escaped (no control characters), at most ~60 chars. */
export function quoted(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** A reason trimmed to ~120 characters with control characters escaped. */
export function clipReason(text: string): string {
  const escaped = JSON.stringify(text).slice(1, -1);
  return escaped.length > 120 ? `${escaped.slice(0, 119)}…` : escaped;
}

/** Severity no worse than `cap` (an IDS decoder event is at most "low"). */
export function atMost(severity: Severity, cap: Severity): Severity {
  return severityRank[severity] < severityRank[cap] ? cap : severity;
}

/**
 * Where a log names its source: an address becomes `src_ip` (canonical); anything else that looks
 * like a host name (`host.example.net`, or a redacted `183.106.179.x`) becomes `src_host` in lower
 * case; anything else neither.
 */
export function sourceOf(token: string | null | undefined): { src_ip: string | null; src_host: string | null } {
  if (!token) return { src_ip: null, src_host: null };
  const ip = canonicalIp(token);
  if (ip) return { src_ip: ip, src_host: null };
  // a scoped IPv6 address (a link-local peer, "fe80::1%eth0"): the address; the zone names this host's interface, not the peer
  const scoped = /^([0-9A-Fa-f:.]{2,45})%[A-Za-z0-9_.-]{1,32}$/.exec(token);
  if (scoped) {
    const v6 = canonicalIp(scoped[1]);
    return { src_ip: v6 && v6.includes(":") ? v6 : null, src_host: null };
  }
  if (/^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,252})$/.test(token)) return { src_ip: null, src_host: token.toLowerCase() };
  return { src_ip: null, src_host: null };
}

/**
 * A source a log gives as a host name that the client itself chose (Windows' NTLM workstation): a
 * `src_host` as `sourceOf` makes it, never an address: a name written as an address is no source,
 * or a client could pose as any address it likes.
 */
export function hostSourceOf(token: string | null | undefined): { src_ip: string | null; src_host: string | null } {
  const source = sourceOf(token);
  return source.src_ip || !source.src_host || /^[0-9.]+$/.test(source.src_host) ? { src_ip: null, src_host: null } : source;
}

/** A TCP/UDP port written as decimal digits, or null. */
export function portOf(text: string | null | undefined): number | null {
  if (!text || !/^\d{1,5}$/.test(text)) return null;
  const n = Number(text);
  return n <= 65_535 ? n : null;
}

/** An event's fields before masking, capping and fingerprinting. */
export type Draft = Omit<ParsedEvent, "fingerprint" | "raw" | "occurrences"> & { occurrences?: number };

/**
 * Turns a draft into the event that leaves a parser: every string field and attribute masked
 * (card numbers) and cut to the stored limits, `raw` masked and capped at 8 KiB, the fingerprint
 * taken from the line before masking. `raw` defaults to the line; EVE passes its re-serialized
 * object when masking changed it. `clean` says the caller has shown that no string of the draft
 * holds a card number (EVE checks its whole line at once), which spares masking each field.
 */
export function finish(format: LogFormat, draft: Draft, line: string, raw: string = maskCardNumbers(line), fingerprint = fingerprintOf(format, line), clean = false): ParseOutcome {
  // masked before cutting (a cut card number must not leave digits in clear) and after (a cut
  // longer number must not end as something that reads as a card)
  const text = (v: string | null, max: number) => {
    if (v === null) return null;
    const masked = clean ? v : maskCardNumbers(v);
    return masked.length > max ? maskCardNumbers(clip(masked, max)) : masked;
  };
  const event: ParsedEvent = {
    time: draft.time,
    kind: draft.kind,
    severity: draft.severity,
    service: draft.service,
    src_ip: draft.src_ip,
    src_host: text(draft.src_host, 253),
    src_port: draft.src_port,
    dst_ip: draft.dst_ip,
    dst_port: draft.dst_port,
    proto: draft.proto,
    user: text(draft.user, MAX_USER),
    signature: text(draft.signature, MAX_SIGNATURE),
    message: text(draft.message, MAX_MESSAGE),
    attributes: draft.attributes ? capAttributes(clean ? draft.attributes : maskDeep(draft.attributes)) : null,
    occurrences: Math.max(1, Math.floor(draft.occurrences ?? 1)),
    fingerprint,
    raw: capBytes(raw),
  };
  return { status: "event", event };
}

function capAttributes(attrs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    out[k] = typeof v === "string" && v.length > MAX_ATTRIBUTE_TEXT ? maskCardNumbers(clip(v, MAX_ATTRIBUTE_TEXT)) : v;
  }
  return out;
}

/** A line that is one JSON object, or null (not JSON, or an array or a scalar). */
export function jsonObject(text: string): Record<string, unknown> | null {
  let rec: unknown;
  try {
    rec = JSON.parse(text);
  } catch {
    return null;
  }
  return rec && typeof rec === "object" && !Array.isArray(rec) ? (rec as Record<string, unknown>) : null;
}

/** A JSON record's field as text: a string as it is, a number written out, anything else null. */
export function textField(r: Record<string, unknown>, k: string): string | null {
  const v = r[k];
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : null;
}
