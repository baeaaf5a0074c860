import { canonicalIp } from "../../../lib/net/ip";
import { parseInstant } from "../../../lib/time/instant";
import { hasCardNumber, maskCardNumbers, maskCardNumbersInBase64, maskDeep } from "../masking";
import type { FlowRecord, ParseContext, ParseOutcome } from "../types";
import { atMost, clipReason, fingerprintOf, finish, guarded, prepareLine, quoted, type Draft } from "./common";
import { idsSeverity, isDecoderEvent } from "./ids";
import { unwrapShipped } from "./eve-shipped";
import { isSnort3Record, looksLikeSnort3Json } from "./snort3";
import { fractionMs, zonedInstant } from "./time";

// Suricata EVE JSON (one object per line). `alert` and `anomaly` records become events; every
// other type (flow, dns, tls, http, ssh, smtp, fileinfo, stats, netflow …) is context: counted as
// skipped, and a `flow` record hands its flow over for scan detection.

type Rec = Record<string, unknown>;
type Field<T> = { ok: true; value: T } | { ok: false; reason: string };

const rejected = (reason: string): ParseOutcome => ({ status: "rejected", reason });
const SNORT3_ELSEWHERE = "a Snort 3 alert_json record, not EVE (no event_type): Snort's alerts are read on /api/v1/ingest/fast";
const SYSLOG_ELSEWHERE = "a syslog line carrying an EVE record (its header before the JSON): syslog lines are read on /api/v1/ingest/syslog";
/** a syslog stamp (RFC 3164, RFC 5424, ISO), then a tag, then the JSON object */
const SYSLOG_WRAPPED = /^(?:<\d{1,3}>)?(?:1 )?(?:[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})\S* [^{]{0,300}?\{"/;
const isRecord = (v: unknown): v is Rec => v !== null && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/**
 * One line of Suricata EVE JSON to an event, a skip (context records) or a rejection with the
 * reason. Pure: the context only supplies the zone for a timestamp written without an offset.
 */
export function parseEveLine(line: string, ctx: ParseContext): ParseOutcome {
  const prepared = prepareLine(line);
  if (!prepared.ok) return prepared.outcome;
  return guarded(() => parseEve(prepared.line, ctx));
}

function parseEve(line: string, ctx: ParseContext): ParseOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    // Snort 3's alert_json is not always JSON (it writes a rule's message raw)
    if (looksLikeSnort3Json(line)) return rejected(SNORT3_ELSEWHERE);
    // eve-log's `filetype: syslog` (or a syslog file grepped for the sensor): the record behind a syslog header
    if (SYSLOG_WRAPPED.test(line)) return rejected(SYSLOG_ELSEWHERE);
    return rejected(`not JSON: ${clipReason(err instanceof Error ? err.message : String(err))}`);
  }
  if (!isRecord(parsed)) return rejected(`not a JSON object: ${Array.isArray(parsed) ? "an array" : parsed === null ? "null" : typeof parsed}`);
  if (parsed.event_type !== undefined) return eveRecord(parsed, line, ctx);
  // a record a shipper wrapped: Filebeat's suricata module, Logstash, Security Onion (eve-shipped.ts)
  const shipped = unwrapShipped(parsed);
  if (shipped === null) return rejected(isSnort3Record(parsed) ? SNORT3_ELSEWHERE : "event_type: missing");
  if ("reason" in shipped) return rejected(shipped.reason);
  if ("line" in shipped) {
    // the EVE line as Suricata wrote it (in `message`): read, and fingerprinted, as that line
    const inner = parseEve(shipped.line, ctx);
    if (inner.status === "event" && inner.event.attributes && inner.event.attributes.host === undefined && shipped.host) inner.event.attributes.host = maskCardNumbers(shipped.host.slice(0, 253));
    return inner;
  }
  // the EVE record rebuilt from suricata.eve and the ECS fields the module moved out of it: read as
  // that record, fingerprinted by the document as received
  return eveRecord(shipped.rec, JSON.stringify(shipped.rec), ctx, line);
}

/**
 * One EVE record. `line` is its text (stored as raw, card numbers masked); `received` is what the
 * fingerprint is taken from: the line itself, or the shipper's document the record came in.
 */
function eveRecord(rec: Rec, line: string, ctx: ParseContext, received = line): ParseOutcome {
  const type = rec.event_type;
  if (type === undefined) return rejected("event_type: missing");
  if (typeof type !== "string" || !/^[A-Za-z0-9_.-]{1,64}$/.test(type)) return rejected(`event_type: not a record type: ${quoted(String(JSON.stringify(type)))}`);
  // Logstash's date filter often moves the record's own time to @timestamp
  const time = eveTime(rec.timestamp ?? rec["@timestamp"], ctx);
  if (!time.ok) return rejected(time.reason);

  if (type !== "alert" && type !== "anomaly") {
    const reason = `eve ${type}: context, not stored`;
    const flow = type === "flow" ? flowOf(rec, time.value, line, received) : undefined;
    return flow ? { status: "skipped", reason, flow } : { status: "skipped", reason };
  }

  const src = address(rec, "src_ip");
  if (!src.ok) return rejected(src.reason);
  const dst = address(rec, "dest_ip");
  if (!dst.ok) return rejected(dst.reason);
  const sport = port(rec, "src_port");
  if (!sport.ok) return rejected(sport.reason);
  const dport = port(rec, "dest_port");
  if (!dport.ok) return rejected(dport.reason);

  // mask once, on the whole record: the fields below are read from the masked copy, and raw is its
  // re-serialization when anything was masked (the line itself otherwise). The base64 fields are
  // decoded and masked on their own: no card number in them shows in the line.
  const clean = !mayHoldCard(line);
  const masked = maskBase64Fields(clean ? rec : maskDeep(rec));
  const raw = masked === rec ? line : JSON.stringify(masked);
  const part = type === "alert" ? alertPart(masked) : anomalyPart(masked);
  if ("reason" in part) return rejected(part.reason);
  addCommonAttributes(part.attributes, masked, line);
  // built as one literal: object spread of two records costs microseconds per line in V8
  const draft: Draft = {
    time: time.value,
    kind: part.kind,
    severity: part.severity,
    service: "suricata",
    src_ip: src.value,
    src_host: null,
    src_port: sport.value,
    dst_ip: dst.value,
    dst_port: dport.value,
    proto: protoOf(masked.proto),
    user: null,
    signature: part.signature,
    message: part.message,
    attributes: part.attributes,
  };
  return finish("suricata", draft, line, raw, received === line ? undefined : fingerprintOf("suricata", received), clean);
}

type Part = Pick<Draft, "kind" | "severity" | "signature" | "message"> & { attributes: Rec };

function alertPart(rec: Rec): Part | { reason: string } {
  const alert = rec.alert;
  if (!isRecord(alert)) return { reason: "alert: missing or not an object" };
  if (typeof alert.signature !== "string") return { reason: "alert.signature: missing or not text" };
  const sid = integer(alert, "signature_id", "alert.");
  if (!sid.ok) return sid;
  const gid = integer(alert, "gid", "alert.");
  if (!gid.ok) return gid;
  const rev = integer(alert, "rev", "alert.");
  if (!rev.ok) return rev;
  // a rule without msg: Suricata writes "signature":"", so the rule's id names it (as Snort 3's alert_json without msg)
  const signature = alert.signature.trim() !== "" ? alert.signature : ruleId(gid.value, sid.value, rev.value);
  if (!signature) return { reason: "alert.signature: empty, and no signature_id to name the rule by" };
  const category = str(alert.category);
  const decoder = isDecoderEvent(gid.value, sid.value, signature, category);
  // no severity at all: the rule gave none, so it is neither high nor negligible (as a fast.log line without [Priority])
  const severity = alert.severity === undefined || alert.severity === null ? "medium" : idsSeverity(alert.severity);
  return {
    kind: decoder ? "ids_anomaly" : "ids_alert",
    severity: decoder ? atMost(severity, "low") : severity,
    signature,
    message: category ? `${signature} [${category}]` : signature,
    attributes: {
      event_type: "alert",
      sid: sid.value,
      gid: gid.value,
      rev: rev.value,
      category,
      priority: typeof alert.severity === "number" ? alert.severity : null,
      action: str(alert.action),
    },
  };
}

/** `gid:sid:rev`, the way the IDS names a rule (gid 1 and rev 0 where not written); null without a sid. */
function ruleId(gid: number | null, sid: number | null, rev: number | null): string | null {
  return sid === null ? null : `${gid ?? 1}:${sid}:${rev ?? 0}`;
}

function anomalyPart(rec: Rec): Part {
  const anomaly = isRecord(rec.anomaly) ? rec.anomaly : {};
  const event = str(anomaly.event);
  const type = str(anomaly.type);
  const layer = str(anomaly.layer);
  const signature = event ?? type ?? "anomaly";
  return {
    kind: "ids_anomaly",
    severity: "low",
    signature,
    message: `${type ?? "unknown"} anomaly: ${signature}${layer ? ` (${layer})` : ""}`,
    attributes: {
      event_type: "anomaly",
      anomaly_type: type,
      anomaly_event: event,
      layer,
      code: typeof anomaly.code === "number" ? anomaly.code : undefined,
      app_proto: str(anomaly.app_proto) ?? undefined,
    },
  };
}

/**
 * Whether any string in the record could hold a card number. Without a backslash in the line,
 * every string's text appears in the line verbatim between quotes, so a card number in a string is
 * one in the line: when masking the line changes nothing, masking the record would not either.
 * (An escape such as `\n` before digits would read differently, hence the backslash test.)
 */
function mayHoldCard(line: string): boolean {
  return line.includes("\\") || hasCardNumber(line);
}

/**
 * Where EVE writes base64: `payload` and `packet` (alert and anomaly records with payload or
 * packet logging), `http.http_request_body` / `http_response_body` (with `http-body`), and a
 * frame's `payload` (Suricata 7 frame logging). The `*_printable` forms are plain strings, masked
 * with the rest. Other records that can carry base64 (fileinfo, smtp, frame) are context, never stored.
 */
const BASE64_FIELDS: readonly (readonly [string] | readonly [string, string])[] = [["payload"], ["packet"], ["http", "http_request_body"], ["http", "http_response_body"], ["frame", "payload"]];

/** The record with card numbers masked inside its base64 fields; the same reference when none held one. */
function maskBase64Fields(rec: Rec): Rec {
  let out = rec;
  for (const path of BASE64_FIELDS) {
    if (path.length === 1) {
      const [key] = path;
      const v = out[key];
      if (typeof v !== "string") continue;
      const m = maskCardNumbersInBase64(v);
      if (m !== v) out = { ...out, [key]: m };
    } else {
      const [outer, key] = path;
      const parent = out[outer];
      if (!isRecord(parent)) continue;
      const v = parent[key];
      if (typeof v !== "string") continue;
      const m = maskCardNumbersInBase64(v);
      if (m !== v) out = { ...out, [outer]: { ...parent, [key]: m } };
    }
  }
  return out;
}

/** Adds the small record-level fields worth keeping beside the signature (not payloads or packets). */
function addCommonAttributes(attrs: Rec, rec: Rec, line: string): void {
  attrs.app_proto ??= str(rec.app_proto) ?? undefined;
  attrs.flow_id = flowId(rec.flow_id, line);
  attrs.in_iface = str(rec.in_iface) ?? undefined;
  attrs.direction = str(rec.direction) ?? undefined;
  attrs.host = str(rec.host) ?? undefined;
  attrs.icmp_type = typeof rec.icmp_type === "number" ? rec.icmp_type : undefined;
  attrs.icmp_code = typeof rec.icmp_code === "number" ? rec.icmp_code : undefined;
}

/** flow_id is a 64-bit number: past 2^53 JSON.parse rounds it, so keep its digits as written. */
function flowId(value: unknown, line: string): number | string | undefined {
  if (typeof value !== "number") return undefined;
  if (Number.isSafeInteger(value)) return value;
  const m = /"flow_id"\s*:\s*(\d{1,20})\s*[,}]/.exec(line);
  return m ? m[1] : value;
}

function eveTime(value: unknown, ctx: ParseContext): Field<number> {
  if (value === undefined) return { ok: false, reason: "timestamp: missing" };
  const r = parseInstant(value);
  if (r.ok) return { ok: true, value: r.ms };
  // a stamp written without an offset is read in the configured zone, as syslog and fast.log are
  if (typeof value === "string") {
    const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(value.trim());
    if (m) {
      const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
      const z = zonedInstant(y, mo, d, h, mi, s, fractionMs(m[7]), ctx.timeZone ?? "UTC", value);
      if (z.ok) return { ok: true, value: z.ms };
    }
  }
  return { ok: false, reason: `timestamp: not a time: ${quoted(typeof value === "string" ? value : String(JSON.stringify(value)))}` };
}

function address(rec: Rec, key: string): Field<string | null> {
  const v = rec[key];
  if (v === undefined || v === null || v === "") return { ok: true, value: null };
  const ip = typeof v === "string" ? canonicalIp(v) : null;
  return ip ? { ok: true, value: ip } : { ok: false, reason: `${key}: not an IP address: ${quoted(String(typeof v === "string" ? v : JSON.stringify(v)))}` };
}

function port(rec: Rec, key: string): Field<number | null> {
  const v = rec[key];
  if (v === undefined || v === null) return { ok: true, value: null };
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 65_535) return { ok: true, value: v };
  return { ok: false, reason: `${key}: not a port number: ${quoted(String(JSON.stringify(v)))}` };
}

function integer(rec: Rec, key: string, prefix: string): Field<number | null> {
  const v = rec[key];
  if (v === undefined || v === null) return { ok: true, value: null };
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return { ok: true, value: v };
  return { ok: false, reason: `${prefix}${key}: not a whole number: ${quoted(String(JSON.stringify(v)))}` };
}

function protoOf(v: unknown): string | null {
  if (typeof v === "number" && Number.isInteger(v)) return String(v);
  if (typeof v !== "string" || !/^[A-Za-z0-9_-]{1,16}$/.test(v)) return null;
  return v.toUpperCase();
}

/** The flow of an EVE `flow` record, when both ends are addresses. */
function flowOf(rec: Rec, recordTime: number, line: string, received: string): FlowRecord | undefined {
  const src = typeof rec.src_ip === "string" ? canonicalIp(rec.src_ip) : null;
  const dst = typeof rec.dest_ip === "string" ? canonicalIp(rec.dest_ip) : null;
  if (!src || !dst) return undefined;
  const flow = isRecord(rec.flow) ? rec.flow : {};
  const start = flow.start === undefined ? null : parseInstant(flow.start);
  const dport = port(rec, "dest_port");
  return {
    time: start && start.ok ? start.ms : recordTime,
    src_ip: src,
    dst_ip: dst,
    dst_port: dport.ok ? dport.value : null,
    proto: protoOf(rec.proto),
    state: str(flow.state),
    key: flowKey(rec, start && start.ok ? start.ms : recordTime, line, received),
  };
}

/**
 * `flow_id|start` in base 36, about 20 characters (Suricata's flow_id is unique per flow, and a
 * flow logged again keeps its start); the line's fingerprint when there is no flow_id. Short,
 * because the store remembers many of them.
 */
function flowKey(rec: Rec, start: number, line: string, received: string): string {
  const id = flowId(rec.flow_id, received);
  if (id === undefined) return fingerprintOf("suricata", received);
  return `${typeof id === "number" ? id.toString(36) : id}|${start.toString(36)}`;
}
