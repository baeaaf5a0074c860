import { canonicalIp } from "../../../lib/net/ip";
import type { ParseContext, ParseOutcome } from "../types";
import { atMost, finish, guarded, portOf, prepareLine, quoted } from "./common";
import { idsSeverity, isDecoderEvent } from "./ids";
import { fractionMs, isCalendarDate, resolveYearless, zonedInstant, type TimeResult } from "./time";

// Snort 2/3 and Suricata fast.log, one alert per line:
//   12/28-12:55:38.765402 [**] [1:366:11] "PROTOCOL-ICMP PING Unix" [**] [Priority: 3] {ICMP} a -> b
//   10/05/10-10:08:59.667372  [**] [1:2009187:4] ET WEB_CLIENT … [**] [Classification: …] [Priority: 3] {TCP} 1.2.3.4:80 -> 5.6.7.8:1234

const STAMP = /^(\d{2}|\d{4})\/(\d{2})(?:\/(\d{2}|\d{4}))?-(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s+/;
const ACTION = /^\s*\[(Drop|wDrop)\]\s*/i;
const HEAD = /^\[\*\*\]\s*\[(\d{1,10}):(\d{1,10}):(\d{1,10})\]\s*(.*?)\s*\[\*\*\]/;
const BRACKET = /^\s*\[([^\]]*)\]/;
const PROTO = /^\s*\{([^}]{1,32})\}/;
const ENDPOINTS = /^\s*(\S+)\s+->\s+(\S+)\s*$/;
/** Protocols whose addresses carry a port: with them an ambiguous IPv6 tail is read as the port. */
const PORTED = new Set(["TCP", "UDP", "SCTP"]);

const rejected = (reason: string): ParseOutcome => ({ status: "rejected", reason });

/**
 * One fast.log line (Snort 2, Snort 3 or Suricata) to an IDS event or a rejection with the
 * reason. Stamps have no zone: they are read in `ctx.timeZone` (default UTC); a stamp without a
 * year takes `ctx.now`'s year, or the year before when that would be more than a day ahead.
 */
export function parseFastLine(line: string, ctx: ParseContext): ParseOutcome {
  const prepared = prepareLine(line);
  if (!prepared.ok) return prepared.outcome;
  return guarded(() => parseFast(prepared.line, ctx));
}

function parseFast(line: string, ctx: ParseContext): ParseOutcome {
  const stamp = STAMP.exec(line);
  if (!stamp) return rejected(`not fast.log: no MM/DD-hh:mm:ss stamp at the start: ${quoted(line, 40)}`);
  const time = fastTime(stamp, ctx);
  if (!time.ok) return rejected(time.reason);
  let rest = line.slice(stamp[0].length);
  // Suricata inline (IPS) writes what it did first: "[Drop]", or "[wDrop]" when it would have
  const verdict = ACTION.exec(rest);
  if (verdict) rest = rest.slice(verdict[0].length);
  const action = verdict ? (verdict[1].toLowerCase() === "drop" ? "blocked" : "would_block") : undefined;
  const head = HEAD.exec(rest);
  if (!head) return rejected(`not fast.log: expected "[**] [gid:sid:rev] message [**]" after the stamp: ${quoted(rest, 40)}`);
  const [gid, sid, rev] = [head[1], head[2], head[3]].map(Number);
  const quotedMessage = head[4].length >= 2 && head[4].startsWith('"') && head[4].endsWith('"');
  const signature = quotedMessage ? head[4].slice(1, -1) : head[4];
  if (!signature) return rejected("message: empty");

  let tail = rest.slice(head[0].length);
  let classification: string | null = null;
  let priority: number | null = null;
  let appId: string | null = null;
  for (let m = BRACKET.exec(tail); m; m = BRACKET.exec(tail)) {
    const field = /^\s*([A-Za-z ]+?)\s*:\s*(.*?)\s*$/.exec(m[1]);
    const key = field?.[1].toLowerCase();
    if (key === "classification") classification = field![2] && field![2] !== "(null)" ? field![2] : null;
    else if (key === "priority") {
      if (!/^\d{1,3}$/.test(field![2])) return rejected(`priority: not a number: ${quoted(field![2])}`);
      priority = Number(field![2]);
    } else if (key === "appid") appId = field![2] || null;
    tail = tail.slice(m[0].length);
  }
  let proto: string | null = null;
  const p = PROTO.exec(tail);
  if (p) {
    proto = p[1].trim().toUpperCase();
    tail = tail.slice(p[0].length);
  }
  let src: Endpoint = { ip: null, port: null };
  let dst: Endpoint = { ip: null, port: null };
  if (tail.trim() !== "") {
    const ends = ENDPOINTS.exec(tail);
    if (!ends) return rejected(`addresses: expected "source -> destination": ${quoted(tail.trim(), 40)}`);
    const s = endpoint(ends[1], proto);
    if (!s) return rejected(`source: not an address: ${quoted(ends[1])}`);
    const d = endpoint(ends[2], proto);
    if (!d) return rejected(`destination: not an address: ${quoted(ends[2])}`);
    src = s;
    dst = d;
  }

  const decoder = isDecoderEvent(gid, sid, signature, classification);
  // no [Priority] at all: the rule gave none, so it is neither high nor negligible
  const severity = priority === null ? "medium" : idsSeverity(priority);
  const withYear = stamp[3] !== undefined;
  const service = quotedMessage ? "snort" : signature.startsWith("SURICATA ") || withYear ? "suricata" : "snort";
  return finish(
    "fast",
    {
      time: time.ms,
      kind: decoder ? "ids_anomaly" : "ids_alert",
      severity: decoder ? atMost(severity, "low") : severity,
      service,
      src_ip: src.ip,
      src_host: null,
      src_port: src.port,
      dst_ip: dst.ip,
      dst_port: dst.port,
      proto,
      user: null,
      signature,
      message: classification ? `${signature} [${classification}]` : signature,
      attributes: { sid, gid, rev, category: classification, priority, appid: appId ?? undefined, action },
    },
    line,
  );
}

/**
 * The stamp's instant. `MM/DD` has no year; with a third number, a 4-digit part is the year
 * (`MM/DD/YYYY`, `YYYY/MM/DD`), and with three 2-digit parts `MM/DD/YY` (what Snort `-y` and older
 * Suricata write) is read whenever it is a date, else `YY/MM/DD` (as in plaso's Suricata samples).
 */
function fastTime(m: RegExpExecArray, ctx: ParseContext): TimeResult {
  const zone = ctx.timeZone ?? "UTC";
  const shown = m[0].trim();
  const [h, mi, s] = [m[4], m[5], m[6]].map(Number);
  const ms = fractionMs(m[7]);
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (m[3] === undefined) {
    if (m[1].length !== 2) return { ok: false, reason: `timestamp: not a fast.log stamp: ${quoted(shown)}` };
    return resolveYearless(a, b, h, mi, s, ms, ctx.now, zone, shown);
  }
  const c = Number(m[3]);
  if (m[1].length === 4) return m[3].length === 2 ? zonedInstant(a, b, c, h, mi, s, ms, zone, shown) : { ok: false, reason: `timestamp: not a fast.log stamp: ${quoted(shown)}` };
  if (m[3].length === 4) return zonedInstant(c, a, b, h, mi, s, ms, zone, shown);
  if (isCalendarDate(2000 + c, a, b)) return zonedInstant(2000 + c, a, b, h, mi, s, ms, zone, shown);
  return zonedInstant(2000 + a, b, c, h, mi, s, ms, zone, shown);
}

type Endpoint = { ip: string | null; port: number | null };

/**
 * `10.0.0.1:80`, `[2001:db8::1]:80`, `2001:db8:0:0:0:0:0:1:80` (IPv6 with the port appended, no
 * brackets) or an address alone (ICMP). An IPv6 text is split at its last colon only when what
 * remains is an address and the tail a port; when both readings are addresses, the protocol
 * decides (TCP, UDP and SCTP have ports).
 */
function endpoint(token: string, proto: string | null): Endpoint | null {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(token);
  if (bracketed) {
    const ip = canonicalIp(bracketed[1]);
    const port = bracketed[2] === undefined ? null : portOf(bracketed[2]);
    return ip && (bracketed[2] === undefined || port !== null) ? { ip, port } : null;
  }
  const whole = canonicalIp(token);
  const colon = token.lastIndexOf(":");
  let split: Endpoint | null = null;
  if (colon > 0) {
    const ip = canonicalIp(token.slice(0, colon));
    const port = portOf(token.slice(colon + 1));
    if (ip && port !== null) split = { ip, port };
  }
  if (whole && split) return proto !== null && PORTED.has(proto) ? split : { ip: whole, port: null };
  return split ?? (whole ? { ip: whole, port: null } : null);
}
