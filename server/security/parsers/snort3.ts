import { canonicalIp } from "../../../lib/net/ip";
import { maskCardNumbers, maskCardNumbersInBase64, maskDeep } from "../masking";
import type { ParseContext, ParseOutcome } from "../types";
import { clipReason, finish, portOf, quoted } from "./common";
import { actionOf, idsDraft, type Endpoint } from "./ids";
import { fractionMs, resolveYearless, zonedInstant, type TimeResult } from "./time";

// Snort 3's own structured alert loggers (src/loggers/alert_json.cc and alert_csv.cc), read on
// /api/v1/ingest/fast beside fast.log. Both write the fields their `fields` list names, in its
// order; by default
//   timestamp pkt_num proto pkt_gen pkt_len dir src_ap dst_ap rule action
// alert_json, one object per line, each label written ` "label" : `:
//   { "timestamp" : "11/30-10:00:00.123456", "pkt_num" : 1542, "proto" : "TCP", "pkt_gen" : "stream_tcp", "pkt_len" : 97, "dir" : "C2S", "src_ap" : "203.0.113.7:50284", "dst_ap" : "192.0.2.10:80", "rule" : "1:2010935:3", "action" : "would_drop" }
// alert_csv, the same fields joined by its separator (", " by default), nothing quoted but msg
// (the rule's own quotes) and b64_data:
//   11/30-10:00:00.123456, 1542, TCP, stream_tcp, 97, C2S, 203.0.113.7:50284, 192.0.2.10:80, 1:2010935:3, would_drop
// What Snort writes, as it writes it:
// - timestamp: MM/DD-hh:mm:ss.uuuuuu, with -y YY/MM/DD-… (the year first, unlike Snort 2's MM/DD/YY),
//   local time unless -U; `seconds` is the same instant in epoch seconds
// - src_ap / dst_ap: the address and the port joined by a colon, IPv6 unbracketed
//   ("2001:db8::5:443"); port 0 when the packet is not TCP or UDP, address empty when it has no IP
// - rule: "gid:sid:rev"; gid, sid, rev also on their own
// - msg: the rule's message with its quotes, written raw: a quote or backslash inside it is not
//   escaped (the JSON is then not JSON, and is mended here); the default field list has no msg
// - class: the classtype, "none" without one; priority: a number, 0 when the rule gives none
// - action: allow, drop, block, reset, would_drop, cant_drop, force_drop, trust, hold, retry …
// - dir: C2S, S2C, UNK; pkt_gen: raw, stream_tcp, stream_ip, pdu …; service: "unknown" when none
// - b64_data: the packet's payload in base64
// - a field that does not apply (src_addr without IP, icmp_type without ICMP …) is left out of
//   the JSON, and empty in the CSV; when the first field of the JSON list is left out, Snort still
//   writes the comma of the next: `{, "msg" : …`

type Rec = Record<string, unknown>;

const rejected = (reason: string): ParseOutcome => ({ status: "rejected", reason });
const isRecord = (v: unknown): v is Rec => v !== null && typeof v === "object" && !Array.isArray(v);

/** Every field alert_json can write (its json_range). */
const JSON_FIELDS = [
  "action", "app_id", "class", "b64_data", "client_bytes", "client_pkts", "dir", "dst_addr", "dst_ap", "dst_port", "eth_dst", "eth_len",
  "eth_src", "eth_type", "flowstart_time", "geneve_vni", "gid", "icmp_code", "icmp_id", "icmp_seq", "icmp_type", "iface", "ip_id", "ip_len",
  "msg", "mpls", "pkt_gen", "pkt_len", "pkt_num", "priority", "proto", "rev", "rule", "seconds", "server_bytes", "server_pkts", "service",
  "sgt", "sid", "src_addr", "src_ap", "src_port", "target", "tcp_ack", "tcp_flags", "tcp_len", "tcp_seq", "tcp_win", "timestamp", "tos",
  "ttl", "udp_len", "vlan",
] as const;
const JSON_FIELD_SET: ReadonlySet<string> = new Set(JSON_FIELDS);
/** Fields only Snort writes (a Suricata EVE record has none of them). */
const SNORT_ONLY = ["pkt_num", "pkt_gen", "src_ap", "dst_ap", "rule", "b64_data", "dir"] as const;

/** alert_csv's default field list (csv_deflt), which is what can be read of its CSV. */
export const SNORT3_CSV_DEFAULT = ["timestamp", "pkt_num", "proto", "pkt_gen", "pkt_len", "dir", "src_ap", "dst_ap", "rule", "action"] as const;
const CSV_EXPECTED = `read are its default fields, in order: ${SNORT3_CSV_DEFAULT.join(", ")} (for another field list, name it in a line before: "# fields: timestamp rule msg …", or in ?fields=)`;

const STAMP = /^(\d{2})\/(\d{2})(?:\/(\d{2}))?-(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const RULE = /^(\d{1,10}):(\d{1,10}):(\d{1,10})$/;
/** Where the next field begins after a message written raw: `, "label" : ` (Snort's spacing) or the end. */
const MEND_TRIES = 8;
const NEXT_LABEL = new RegExp(`", "(?:${JSON_FIELDS.join("|")})" : `, "g");
/** alert_json's way of writing a label (EVE writes none with blanks around the colon). */
const SNORT_LABEL = /^\{\s*(?:,\s*)?"[a-z_]{2,16}" : /;

/** Whether an object posted to the EVE endpoint is a Snort 3 alert_json record (no event_type; Snort's fields). */
export function isSnort3Record(rec: Rec): boolean {
  return SNORT_ONLY.some((k) => rec[k] !== undefined);
}

/** Whether a line that is not JSON has alert_json's form (its label spacing, `{, ` start). */
export function looksLikeSnort3Json(line: string): boolean {
  return SNORT_LABEL.test(line);
}

/**
 * A Snort 3 stamp (`MM/DD-hh:mm:ss.uuuuuu`, with -y `YY/MM/DD-…`) to its instant: read in
 * `ctx.timeZone` (Snort writes local time unless -U); a stamp without a year takes `ctx.now`'s,
 * or the year before when that would be more than a day ahead.
 */
export function snort3Time(text: string, ctx: ParseContext): TimeResult {
  const m = STAMP.exec(text);
  if (!m) return { ok: false, reason: `timestamp: not a Snort stamp (MM/DD-hh:mm:ss.uuuuuu or YY/MM/DD-…): ${quoted(text)}` };
  const zone = ctx.timeZone ?? "UTC";
  const [h, mi, s] = [m[4], m[5], m[6]].map(Number);
  const ms = fractionMs(m[7]);
  if (m[3] === undefined) return resolveYearless(Number(m[1]), Number(m[2]), h, mi, s, ms, ctx.now, zone, text);
  return zonedInstant(2000 + Number(m[1]), Number(m[2]), Number(m[3]), h, mi, s, ms, zone, text);
}

// ---------------------------------------------------------------------------------------------
// alert_json

/**
 * One line of Snort 3's alert_json (the caller has seen it start with "{") to an IDS event or a
 * rejection with the reason. A Suricata EVE record is refused, naming its endpoint.
 */
export function parseSnort3Json(line: string, ctx: ParseContext): ParseOutcome {
  const read = readObject(line);
  if (!read.ok) return rejected(read.reason);
  const rec = read.rec;
  if (rec.event_type !== undefined) return rejected("a Suricata EVE record (event_type): EVE is read on /api/v1/ingest/suricata");
  if (!Object.keys(rec).some((k) => JSON_FIELD_SET.has(k))) {
    return rejected("not Snort 3 alert_json: none of its fields (timestamp, seconds, rule, msg, src_ap …)");
  }
  return recordOutcome(rec, line, rawOf(rec, line, read.mended), ctx, "alert_json");
}

/** A Snort 3 record (alert_json's object, or an alert_csv line read by its field names) to an IDS event or a rejection naming the field. */
function recordOutcome(rec: Rec, line: string, raw: string, ctx: ParseContext, logger: "alert_json" | "alert_csv"): ParseOutcome {
  const time = jsonTime(rec, ctx, logger);
  if (!time.ok) return rejected(time.reason);

  // the rule: "gid:sid:rev", else gid, sid and rev on their own
  let gid: number | null = null;
  let sid: number | null = null;
  let rev: number | null = null;
  if (rec.rule !== undefined) {
    const r = typeof rec.rule === "string" ? RULE.exec(rec.rule) : null;
    if (!r) return rejected(`rule: not gid:sid:rev: ${shown(rec.rule)}`);
    [gid, sid, rev] = [r[1], r[2], r[3]].map(Number);
  } else {
    for (const key of ["gid", "sid", "rev"] as const) {
      const v = rec[key];
      if (v === undefined) continue;
      if (!isWhole(v, 0xffff_ffff)) return rejected(`${key}: not a whole number: ${shown(v)}`);
      if (key === "gid") gid = v;
      else if (key === "sid") sid = v;
      else rev = v;
    }
  }
  const msg = text(rec, "msg");
  if (!msg.ok) return rejected(msg.reason);
  // the message (Snort's own quotes around it are the JSON string's); without msg in the list, the rule's id
  let signature = msg.value === null ? "" : msg.value.trim();
  if (!signature) signature = sid === null ? "" : rec.rule !== undefined ? (rec.rule as string) : `${gid ?? 1}:${sid}:${rev ?? 0}`;
  if (!signature) return rejected(`rule: missing: neither rule, sid nor msg is in the record (${logger}'s fields)`);

  const cls = text(rec, "class");
  if (!cls.ok) return rejected(cls.reason);
  const classification = cls.value && cls.value !== "none" ? cls.value : null;
  let priority: number | null = null;
  if (rec.priority !== undefined) {
    if (!isWhole(rec.priority, 0xffff_ffff)) return rejected(`priority: not a whole number: ${shown(rec.priority)}`);
    priority = rec.priority;
  }
  const act = text(rec, "action");
  if (!act.ok) return rejected(act.reason);
  const proto = protoOf(rec.proto);

  const src = end(rec, "src", proto);
  if ("reason" in src) return rejected(src.reason);
  const dst = end(rec, "dst", proto);
  if ("reason" in dst) return rejected(dst.reason);
  const icmp: { icmp_type?: number; icmp_code?: number } = {};
  for (const key of ["icmp_type", "icmp_code"] as const) {
    const v = rec[key];
    if (v === undefined) continue;
    if (!isWhole(v, 255)) return rejected(`${key}: not 0–255: ${shown(v)}`);
    icmp[key] = v;
  }

  const appId = typeof rec.app_id === "string" && rec.app_id !== "" ? rec.app_id : null;
  const iface = typeof rec.iface === "string" && rec.iface !== "" ? rec.iface : null;
  const draft = idsDraft({
    gid,
    sid,
    rev,
    signature,
    classification,
    priority,
    appId,
    iface,
    action: act.value ? snort3Action(act.value) : undefined,
    proto,
    ends: { src, dst, icmpType: icmp.icmp_type, icmpCode: icmp.icmp_code },
    service: "snort",
  });
  Object.assign(draft.attributes!, packetAttributes(rec, line));
  return finish("fast", { time: time.ms, ...draft }, line, raw);
}

type ReadObject = { ok: true; rec: Rec; mended: boolean } | { ok: false; reason: string };

/**
 * The line as a JSON object. What Snort writes is mended first when it is not JSON: the comma it
 * writes after "{" when the first field is left out, and a message holding a quote or backslash,
 * which it writes raw (the message runs to the next `, "label" : ` of a field it can write, or
 * to the closing brace).
 */
function readObject(line: string): ReadObject {
  const first = parseObject(line);
  if (first.ok) return first;
  const text = line.replace(/^(\{\s*),/, "$1");
  const mended = text !== line;
  if (mended) {
    const again = parseObject(text);
    if (again.ok) return { ok: true, rec: again.rec, mended };
  }
  const label = /"msg"\s*:\s/.exec(text);
  if (label) {
    const start = label.index + label[0].length;
    // the message ends before a next label (its closing quote kept), else before the closing
    // brace; a message holding `", "class" : ` itself is tried past it, a few times at most
    const stops: number[] = [];
    NEXT_LABEL.lastIndex = start;
    for (let m = NEXT_LABEL.exec(text); m && stops.length < MEND_TRIES - 1; m = NEXT_LABEL.exec(text)) stops.push(m.index + 1);
    const close = text.lastIndexOf("}");
    if (close > start) stops.push(close);
    for (const stop of stops) {
      const value = JSON.stringify(unquote(text.slice(start, stop).trim()));
      const again = parseObject(`${text.slice(0, start)}${value}${stop === close ? " " : ""}${text.slice(stop)}`);
      if (again.ok) return { ok: true, rec: again.rec, mended: true };
    }
  }
  if (/"event_type"\s*:/.test(line)) return { ok: false, reason: `a Suricata EVE record, and not JSON: EVE is read on /api/v1/ingest/suricata (${first.reason})` };
  return first;
}

function parseObject(text: string): ReadObject & { ok: boolean } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not JSON: ${clipReason(err instanceof Error ? err.message : String(err))}` };
  }
  if (!isRecord(parsed)) return { ok: false, reason: `not a JSON object: ${Array.isArray(parsed) ? "an array" : parsed === null ? "null" : typeof parsed}` };
  return { ok: true, rec: parsed, mended: false };
}

/** The message without the quotes Snort keeps around it. */
function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** The instant of the record: `seconds` when it is there (to the microsecond with `timestamp`'s fraction), else `timestamp`. */
function jsonTime(rec: Rec, ctx: ParseContext, logger: "alert_json" | "alert_csv"): TimeResult {
  const stamp = rec.timestamp;
  if (stamp !== undefined && typeof stamp !== "string") return { ok: false, reason: `timestamp: not a Snort stamp: ${shown(stamp)}` };
  const seconds = rec.seconds;
  if (seconds !== undefined) {
    if (!isWhole(seconds, 253_402_300_799)) return { ok: false, reason: `seconds: not epoch seconds: ${shown(seconds)}` };
    const fraction = stamp === undefined ? undefined : STAMP.exec(stamp)?.[7];
    return { ok: true, ms: seconds * 1000 + fractionMs(fraction) };
  }
  if (stamp === undefined) return { ok: false, reason: `timestamp: missing (${logger}'s fields have neither timestamp nor seconds)` };
  return snort3Time(stamp, ctx);
}

type Field<T> = { ok: true; value: T } | { ok: false; reason: string };

function text(rec: Rec, key: string): Field<string | null> {
  const v = rec[key];
  if (v === undefined || v === null) return { ok: true, value: null };
  return typeof v === "string" ? { ok: true, value: v } : { ok: false, reason: `${key}: not text: ${shown(v)}` };
}

const isWhole = (v: unknown, max: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max;

/** A JSON value quoted for a reason. */
const shown = (v: unknown): string => quoted(typeof v === "string" ? v : String(JSON.stringify(v)));

function protoOf(v: unknown): string | null {
  return typeof v === "string" && /^[A-Za-z0-9_-]{1,16}$/.test(v) ? v.toUpperCase() : null;
}

/** Protocols whose packets Snort gives ports (src_ap's port is 0 for every other). */
const PORTED = new Set(["TCP", "UDP"]);

/**
 * One end of the alert: `src_addr` / `src_port`, else `src_ap` ("address:port", split at the last
 * colon; Snort writes an IPv6 address unbracketed). An empty address (no IP layer) is none; port
 * 0 of a packet that is not TCP or UDP is none.
 */
function end(rec: Rec, side: "src" | "dst", proto: string | null): Endpoint | { reason: string } {
  let ip: string | null = null;
  let port: number | null = null;
  const ap = rec[`${side}_ap`];
  if (ap !== undefined) {
    const colon = typeof ap === "string" ? ap.lastIndexOf(":") : -1;
    const p = colon >= 0 ? /^\d{1,5}$/.exec((ap as string).slice(colon + 1)) : null;
    const addr = colon > 0 ? canonicalIp((ap as string).slice(0, colon)) : colon === 0 ? "" : null;
    if (!p || Number(p[0]) > 65_535 || addr === null) return { reason: `${side}_ap: not address:port: ${shown(ap)}` };
    ip = addr || null;
    port = Number(p[0]);
  }
  const a = rec[`${side}_addr`];
  if (a !== undefined && a !== "") {
    const addr = typeof a === "string" ? canonicalIp(a) : null;
    if (!addr) return { reason: `${side}_addr: not an IP address: ${shown(a)}` };
    ip = addr;
  }
  const p = rec[`${side}_port`];
  if (p !== undefined) {
    if (!isWhole(p, 65_535)) return { reason: `${side}_port: not a port number: ${shown(p)}` };
    port = p;
  }
  if (port === 0 && (proto === null || !PORTED.has(proto)) && p === undefined) port = null;
  return { ip, port };
}

/**
 * Snort 3's action string as the `action` attribute: what was done (`blocked`) or would have been
 * (`would_block`: would_* in IDS mode, cant_* when it could not), as fast.log's verdict is; its
 * `allow` is `allowed`, as EVE's; any other word (trust, hold, retry, rewrite …) as written.
 */
function snort3Action(word: string): string {
  const w = word.toLowerCase();
  return w === "allow" ? "allowed" : actionOf(w);
}

/** What the record says of its packet, kept beside the signature (not the payload: that is in raw). */
function packetAttributes(rec: Rec, line: string): Record<string, unknown> {
  const str = (k: string) => (typeof rec[k] === "string" && rec[k] !== "" ? (rec[k] as string) : undefined);
  const service = str("service");
  const target = str("target");
  return {
    // (alert_csv's digits past 2^53 are kept as written)
    pkt_num: typeof rec.pkt_num === "number" ? bigNumber(rec.pkt_num, "pkt_num", line) : typeof rec.pkt_num === "string" && /^\d{1,20}$/.test(rec.pkt_num) ? rec.pkt_num : undefined,
    pkt_gen: str("pkt_gen"),
    direction: str("dir"),
    app_proto: service && service !== "unknown" ? service : undefined,
    target: target ? (canonicalIp(target) ?? undefined) : undefined,
    vlan: isWhole(rec.vlan, 4095) && rec.vlan > 0 ? rec.vlan : undefined,
  };
}

/** A 64-bit counter: past 2^53 JSON.parse rounds it, so keep its digits as written. */
function bigNumber(value: number, key: string, line: string): number | string {
  if (Number.isSafeInteger(value)) return value;
  const m = new RegExp(`"${key}"\\s*:\\s*(\\d{1,20})\\s*[,}]`).exec(line);
  return m ? m[1] : value;
}

/**
 * The raw line to store: the line as written, its base64 payload (b64_data) decoded, masked and
 * encoded again, and card numbers masked. A line with a backslash (an escape could spell digits
 * the masking of the text would not see) or one Snort wrote as not-JSON is stored as its record,
 * masked field by field.
 */
function rawOf(rec: Rec, line: string, mended: boolean): string {
  const b64 = typeof rec.b64_data === "string" ? rec.b64_data : null;
  const maskedB64 = b64 === null ? null : maskCardNumbersInBase64(b64);
  if (mended || line.includes("\\")) {
    const clean = maskedB64 !== null && maskedB64 !== b64 ? { ...rec, b64_data: maskedB64 } : rec;
    return JSON.stringify(maskDeep(clean));
  }
  const text = b64 !== null && maskedB64 !== b64 ? line.split(`"${b64}"`).join(`"${maskedB64}"`) : line;
  return maskCardNumbers(text);
}

// ---------------------------------------------------------------------------------------------
// alert_csv

/** The stamp of an alert_csv line, then its separator: ", " by default; ",", ";", "|" or a tab, with up to three blanks. */
const CSV_HEAD = /^(\d{2}\/\d{2}(?:\/\d{2})?-\d{2}:\d{2}:\d{2}\.\d{6})([,;|\t] {0,3})(?=\S)/;
/** A custom alert_csv field list without the stamp first: a "gid:sid:rev" column between ", " separators. */
const CSV_RULE_COLUMN = /(?:^|, )\d{1,10}:\d{1,10}:\d{1,10}(?:, |$)/;
/** "address:port" as Snort writes it (the address empty without an IP layer). */
const isAddressPort = (v: string): boolean => {
  const colon = v.lastIndexOf(":");
  return colon >= 0 && portOf(v.slice(colon + 1)) !== null && (colon === 0 || canonicalIp(v.slice(0, colon)) !== null);
};
/** What each default column holds (the stamp, first, is read by CSV_HEAD). */
const COLUMN_OK: readonly ((v: string) => boolean)[] = [
  () => true, // timestamp
  (v) => /^\d{1,20}$/.test(v), // pkt_num
  (v) => /^[A-Za-z0-9_-]{1,16}$/.test(v), // proto
  (v) => /^[a-z0-9_]{1,32}$/.test(v), // pkt_gen
  (v) => /^\d{1,10}$/.test(v), // pkt_len
  (v) => /^(?:C2S|S2C|UNK)$/.test(v), // dir
  isAddressPort, // src_ap
  isAddressPort, // dst_ap
  (v) => RULE.test(v), // rule
  (v) => /^[a-z_]{1,20}$/.test(v), // action
];

/** Whether a line that starts with a Snort stamp is Snort 3's alert_csv (the separator right after the stamp). */
export function isSnort3Csv(line: string): boolean {
  return CSV_HEAD.test(line);
}

/** Whether a line without a stamp at the start looks like alert_csv with a custom field list. */
export function looksLikeSnort3Csv(line: string): boolean {
  return line.length <= 65_536 && CSV_RULE_COLUMN.test(line);
}

/** The reason for a line that looks like a custom alert_csv field list. */
export const SNORT3_CSV_CUSTOM = `Snort 3 alert_csv with the stamp not first: ${CSV_EXPECTED}`;

/**
 * One line of Snort 3's alert_csv, in its default field list, to an IDS event; a line in any
 * other shape is refused naming what is read. Without msg, priority or class in that list, the
 * signature is the rule's id and the severity medium.
 */
export function parseSnort3Csv(line: string, ctx: ParseContext): ParseOutcome {
  const head = CSV_HEAD.exec(line);
  if (!head) return rejected(`Snort 3 alert_csv: no stamp at the start; ${CSV_EXPECTED}`);
  const sep = head[2];
  const f = [head[1], ...line.slice(head[0].length).split(sep, SNORT3_CSV_DEFAULT.length + 1)];
  if (f.length !== SNORT3_CSV_DEFAULT.length) {
    return rejected(`Snort 3 alert_csv: ${f.length > SNORT3_CSV_DEFAULT.length ? "more than 10" : f.length} columns; ${CSV_EXPECTED}`);
  }
  for (let i = 1; i < f.length; i++) {
    if (!COLUMN_OK[i](f[i])) {
      return rejected(`Snort 3 alert_csv: column ${i + 1} is not ${SNORT3_CSV_DEFAULT[i]}: ${quoted(f[i], 40)}; ${CSV_EXPECTED}`);
    }
  }
  const time = snort3Time(f[0], ctx);
  if (!time.ok) return rejected(time.reason);
  const proto = protoOf(f[2]);
  const src = end({ src_ap: f[6] }, "src", proto);
  if ("reason" in src) return rejected(src.reason);
  const dst = end({ dst_ap: f[7] }, "dst", proto);
  if ("reason" in dst) return rejected(dst.reason);
  const [gid, sid, rev] = f[8].split(":").map(Number);
  const draft = idsDraft({
    gid,
    sid,
    rev,
    signature: f[8],
    classification: null,
    priority: null,
    appId: null,
    iface: null,
    action: snort3Action(f[9]),
    proto,
    ends: { src, dst },
    service: "snort",
  });
  Object.assign(draft.attributes!, { pkt_num: Number.isSafeInteger(Number(f[1])) ? Number(f[1]) : f[1], pkt_gen: f[3], direction: f[5] });
  return finish("fast", { time: time.ms, ...draft }, line);
}

// ---------------------------------------------------------------------------------------------
// alert_csv in a field list the user names (snort.lua's `alert_csv = { fields = '…' }`): in a line
// before the records, "# fields: timestamp rule msg …" or a plain CSV header "timestamp,rule,msg,…",
// or in /ingest/fast's ?fields= for the whole upload. The records are then read by their names, as
// alert_json's are, so they make the same events.

/** Every field alert_csv can write (alert_csv.cc's csv_range): alert_json's but app_id. */
const CSV_FIELDS: ReadonlySet<string> = new Set(JSON_FIELDS.filter((f) => f !== "app_id"));
/** Fields alert_csv writes as a number (read as alert_json's, whose checks then apply). */
const CSV_NUMERIC: ReadonlySet<string> = new Set([
  "client_bytes", "client_pkts", "dst_port", "eth_len", "flowstart_time", "geneve_vni", "gid", "icmp_code", "icmp_id", "icmp_seq", "icmp_type",
  "ip_id", "ip_len", "mpls", "pkt_len", "pkt_num", "priority", "rev", "seconds", "server_bytes", "server_pkts", "sgt", "sid", "src_port",
  "tcp_ack", "tcp_len", "tcp_seq", "tcp_win", "tos", "ttl", "udp_len", "vlan",
]);
/** alert_csv's `separator`: ", " by default, else what the line's columns split by (tried in this order). */
const CSV_SEPARATORS = [", ", " | ", " ; ", "\t", ";", "|", ","] as const;
const FIELDS_COMMENT = /^#\s*fields\s*[:=]?\s*(.*)$/i;
const PLAIN_HEADER = /^[a-z][a-z0-9_]{0,31}(?:\s*[,;|\t]\s*[a-z][a-z0-9_]{0,31})+\s*$/;

export type Snort3CsvFields = { ok: true; fields: readonly string[] } | { ok: false; reason: string };

/**
 * Snort 2's alert_csv field names (spo_csv.c, and pfSense's classification, action, disposition):
 * a header of these is Snort 2's, whose lines are read by their own shape.
 */
const SNORT2_CSV_FIELDS: ReadonlySet<string> = new Set([
  "timestamp", "sig_generator", "sig_id", "sig_rev", "msg", "proto", "src", "srcport", "dst", "dstport", "ethsrc", "ethdst", "ethlen", "tcpflags",
  "tcpseq", "tcpack", "tcplen", "tcpwindow", "ttl", "tos", "id", "dgmlen", "iplen", "icmptype", "icmpcode", "icmpid", "icmpseq", "classification",
  "priority", "action", "disposition",
]);

/**
 * A field list as a user names it: alert_csv's field names between blanks, commas, ";" or "|"
 * (snort.lua's quotes around it allowed). Names alert_csv does not write are refused, listed.
 */
export function snort3CsvFieldList(spec: string): Snort3CsvFields {
  const names = spec.trim().replace(/^['"]|['"]$/g, "").split(/[\s,;|]+/).filter(Boolean);
  if (names.length === 0) return { ok: false, reason: "Snort 3 alert_csv field list: no field names" };
  const unknown = [...new Set(names.filter((n) => !CSV_FIELDS.has(n)))];
  if (unknown.length) {
    const shownNames = unknown.slice(0, 8).map((n) => quoted(n, 32)).join(", ");
    return { ok: false, reason: `Snort 3 alert_csv field list: not alert_csv field names: ${shownNames}${unknown.length > 8 ? ` and ${unknown.length - 8} more` : ""}` };
  }
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) return { ok: false, reason: `Snort 3 alert_csv field list: ${twice} named twice` };
  return { ok: true, fields: names };
}

/**
 * Whether a line names alert_csv's fields (null: it does not): "# fields: …", or a plain header
 * of lowercase names of which at least one is alert_csv's (its other names are then checked).
 */
export function snort3CsvHeader(line: string): Snort3CsvFields | { snort2: true } | null {
  const comment = FIELDS_COMMENT.exec(line);
  if (comment) return snort3CsvFieldList(comment[1]);
  if (line.length > 2048 || !PLAIN_HEADER.test(line)) return null;
  const names = line.split(/\s*[,;|\t]\s*/).map((n) => n.trim());
  // Snort 2's header (sig_id, srcport …): not a field list of Snort 3's
  if (names.every((n) => SNORT2_CSV_FIELDS.has(n)) && names.some((n) => !CSV_FIELDS.has(n))) return { snort2: true };
  return names.some((n) => CSV_FIELDS.has(n)) ? snort3CsvFieldList(line) : null;
}

/**
 * One alert_csv line in the named field list to an IDS event, read as alert_json's record of the
 * same fields is. Only msg may hold the separator (the rule's text, written raw): extra columns
 * are its own. An empty column is a field that does not apply (left out, as alert_json leaves it).
 */
export function parseSnort3CsvFields(line: string, fields: readonly string[], ctx: ParseContext): ParseOutcome {
  const msgAt = fields.indexOf("msg");
  let cols: string[] | null = null;
  let counted = 0;
  for (const sep of CSV_SEPARATORS) {
    const pieces = line.split(sep);
    if (pieces.length > 1 && counted === 0) counted = pieces.length;
    if (pieces.length === fields.length) cols = pieces;
    else if (pieces.length > fields.length && msgAt >= 0) {
      const extra = pieces.length - fields.length;
      cols = [...pieces.slice(0, msgAt), pieces.slice(msgAt, msgAt + extra + 1).join(sep), ...pieces.slice(msgAt + extra + 1)];
    }
    if (cols) break;
  }
  if (!cols) return rejected(`Snort 3 alert_csv: ${counted || 1} column${counted > 1 ? "s" : ""} for the ${fields.length} fields named (${fields.join(", ")})`);
  const rec: Rec = {};
  fields.forEach((name, i) => {
    let v = cols[i].trim();
    if (name === "msg" || name === "b64_data") v = unquote(v);
    if (v === "") return;
    rec[name] = CSV_NUMERIC.has(name) && /^\d{1,15}$/.test(v) ? Number(v) : v;
  });
  const b64 = typeof rec.b64_data === "string" ? rec.b64_data : null;
  const maskedB64 = b64 === null ? null : maskCardNumbersInBase64(b64);
  const raw = maskCardNumbers(b64 !== null && maskedB64 !== b64 ? line.split(b64).join(maskedB64!) : line);
  return recordOutcome(rec, line, raw, ctx, "alert_csv");
}
