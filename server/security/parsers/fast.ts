import { canonicalIp } from "../../../lib/net/ip";
import type { ParseContext, ParseOutcome } from "../types";
import { finish, guarded, portOf, prepareLine, quoted, type Draft } from "./common";
import { actionOf, idsDraft, NO_ENDPOINTS, type Endpoint, type Endpoints } from "./ids";
import { isSnort3Csv, looksLikeSnort3Csv, parseSnort3Csv, parseSnort3CsvFields, parseSnort3Json, snort3CsvFieldList, snort3CsvHeader, SNORT3_CSV_CUSTOM } from "./snort3";
import { fractionMs, isCalendarDate, resolveYearless, zonedInstant, type TimeResult } from "./time";

// Snort 2/3 and Suricata fast.log, one alert per line:
//   12/28-12:55:38.765402 [**] [1:366:11] "PROTOCOL-ICMP PING Unix" [**] [Priority: 3] {ICMP} a -> b
//   10/05/10-10:08:59.667372  [**] [1:2009187:4] ET WEB_CLIENT … [**] [Classification: …] [Priority: 3] {TCP} 1.2.3.4:80 -> 5.6.7.8:1234
//   09/14/24-16:11:08.050136  [Drop] [**] [1:2:1] ICMP … [**] [Classification: (null)] [Priority: 3] {ICMP} 10.0.0.27:8 -> 1.1.1.1:0
// (Suricata appends an ICMP packet's type and code where the ports would be; Snort does not.)
// Snort 2's alert_csv (the stamp, a blank, then ","), and Snort 3's alert_json (a line that starts
// with "{") and alert_csv (the stamp, then its separator) are read here too (snort3.ts).

const STAMP = /^(\d{2}|\d{4})\/(\d{2})(?:\/(\d{2}|\d{4}))?-(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s+/;
// what an inline sensor did, before the [**]: Suricata's "[Drop]" / "[wDrop]", Snort 2's "[Drop]" /
// "[WDrop]", Snort 3's action string ("[drop]", "[would_drop]", "[block]", "[reset]", "[cant_drop]" …)
const ACTION = /^\s*\[([A-Za-z_]{2,20})\]\s*/;
// the rule id after the opening [**]; the message runs to the next [**] (found by indexOf: a lazy
// regex with blanks on both sides of the message is cubic on a line of blanks)
const HEAD = /^\[\*\*\]\s*\[(\d{1,10}):(\d{1,10}):(\d{1,10})\]/;
/** a syslog line (RFC 3164 or 5424 header) of a snort or suricata alert, sent here by mistake */
const SYSLOG_ALERT = /^(?:<\d{1,3}>)?(?:1 \S{1,64}|[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2}) (?:\S{1,255} ){0,5}?(?:snort|suricata)(?:\[\d{1,10}\])?:? (?:\S{1,64} ){0,3}?(?:\[[A-Za-z]{1,8}\] )?\[\d{1,10}:\d{1,10}:\d{1,10}\]/;
/** Snort's -I (alert_interface): the interface, before the message */
const IFACE = /^ {2}<([^<>\s]{1,64})> /;
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

/** What the upload said of its alert_csv lines so far: the fields they are in, or why the list named is not read. */
type CsvFields = { fields: readonly string[] } | { refused: string } | null;

/**
 * An upload's lines to one outcome each (`text` null: a line already refused, too long or not
 * UTF-8, whose outcome the caller keeps). Read line by line as parseFastLine reads them, but a
 * line naming Snort 3 alert_csv's fields ("# fields: timestamp rule msg …", or a plain CSV header
 * of its field names) is skipped, counted, and the alert_csv lines after it are read in those
 * fields, as are all of them with `ctx.snort3CsvFields` (?fields=, checked by the caller) until a
 * header says otherwise.
 */
export function parseFastUpload(lines: readonly { line: number; text: string | null }[], ctx: ParseContext): ParseOutcome[] {
  let csv: CsvFields = null;
  if (ctx.snort3CsvFields !== undefined) {
    const list = snort3CsvFieldList(ctx.snort3CsvFields);
    csv = list.ok ? { fields: list.fields } : { refused: `?fields= is not read (${list.reason.replace(/^Snort 3 alert_csv field list: /, "")})` };
  }
  const out: ParseOutcome[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i].text;
    // Snort's alert_full: a record over several lines, up to a blank line
    if (text !== null && ALERT_FULL_HEAD.test(text)) {
      let end = i + 1;
      while (end < lines.length && lines[end].text !== null && lines[end].text!.trim() !== "" && !ALERT_FULL_HEAD.test(lines[end].text!)) end++;
      const ended = end < lines.length && (lines[end].text === "" || lines[end].text?.trim() === "" || ALERT_FULL_HEAD.test(lines[end].text ?? ""));
      const record = lines.slice(i, end).map((l) => l.text!);
      out.push(
        !ended
          ? rejected(end < lines.length ? "alert_full: a line of the record is unreadable" : "alert_full: the record is cut off at the end of the upload (no blank line after it): send whole records")
          : guarded(() => parseAlertFull(record, ctx)),
      );
      for (let j = i + 1; j < end; j++) out.push(ALERT_FULL_PART);
      i = end - 1;
      continue;
    }
    out.push(uploadLine(lines[i], ctx, csv, (next) => (csv = next)));
  }
  return out;
}

/** One line of an upload that is not part of an alert_full record (see parseFastUpload). */
function uploadLine({ line, text }: { line: number; text: string | null }, ctx: ParseContext, csv: CsvFields, setCsv: (next: CsvFields) => void): ParseOutcome {
  if (text === null) return { status: "rejected", reason: "unreadable line" };
  if (text.trim() === "") return { status: "skipped", reason: "blank line" };
  const header = snort3CsvHeader(text.trim());
  if (header && "snort2" in header) return { status: "skipped", reason: "Snort 2 alert_csv header: its lines are read by their columns" };
  if (header) {
    if (!header.ok) {
      setCsv({ refused: `the field list at line ${line} is not read (${header.reason.replace(/^Snort 3 alert_csv field list: /, "")})` });
      return { status: "rejected", reason: header.reason };
    }
    setCsv({ fields: header.fields });
    return { status: "skipped", reason: "Snort 3 alert_csv field list: the lines after it are read in its fields" };
  }
  if (!csv) return parseFastLine(text, ctx);
  const prepared = prepareLine(text);
  if (!prepared.ok) return prepared.outcome;
  return guarded(() => parseFast(prepared.line, ctx, csv));
}

// Snort's alert_full (Snort 2's alert_full, Snort 3's alert_full), one alert over several lines:
//   [**] [1:2010935:3] ET POLICY Suspicious inbound to MSSQL port 1433 [**]
//   [Classification: Potentially Bad Traffic] [Priority: 2]
//   11/30-10:00:00.123456 203.0.113.7:50284 -> 192.0.2.10:1433
//   TCP TTL:111 TOS:0x0 ID:256 IpLen:20 DgmLen:48 DF
//   ******S* Seq: 0x3A2B4C5D  Ack: 0x0  Win: 0x2000  TcpLen: 28
//   [Xref => http://doc.emergingthreats.net/2010935]
//   (a blank line)
// With -e the stamp line holds the link-layer addresses ("… 0:C:29:AA:BB:CC -> … type:0x800
// len:0x3C") and the IP addresses open the next line, before the protocol.
const ALERT_FULL_HEAD = /^\[\*\*\] \[\d{1,10}:\d{1,10}:\d{1,10}\] /;
const ALERT_FULL_PART: ParseOutcome = { status: "skipped", reason: "alert_full: a line of the record above (its first line carries the outcome)" };
/** the protocol line's first word: "TCP TTL:…", "ICMP TTL:…", "IPV6-ICMP …" */
const FULL_PROTO = /^([A-Z][A-Z0-9-]{1,15})(?: |$)/;
const LINK_LAYER = / type:0x[0-9A-Fa-f]{1,4}(?: |$)/;

/**
 * One alert_full record (its lines, up to the blank line after it) to an IDS event, read as the
 * fast.log line of the same alert is: the rule's line, its bracketed lines before the stamp
 * (classification, priority, AppID), the stamp with the addresses, the protocol line after.
 */
function parseAlertFull(record: readonly string[], ctx: ParseContext): ParseOutcome {
  const prepared = prepareLine(record.join("\n"));
  if (!prepared.ok) return prepared.outcome.status === "rejected" ? rejected(`alert_full record: ${prepared.outcome.reason.replace(/^line /, "")}`) : prepared.outcome;
  const head = record[0].trimEnd();
  if (!head.endsWith("[**]") || head.length < 20) return rejected(`alert_full: expected "[**] [gid:sid:rev] message [**]": ${quoted(head, 40)}`);
  let i = 1;
  const brackets: string[] = [];
  while (i < record.length && /^\s*\[/.test(record[i])) brackets.push(record[i++].trim());
  const stamp = i < record.length ? STAMP.exec(`${record[i]} `) : null;
  if (!stamp) return rejected("alert_full: no MM/DD-hh:mm:ss stamp line with the addresses after the rule's lines");
  let addresses = `${record[i]} `.slice(stamp[0].length).trim();
  let protoLine = record[i + 1]?.trim() ?? "";
  if (LINK_LAYER.test(` ${addresses}`)) {
    // -e: the IP addresses open the next line, the protocol after them
    const ip = /^(\S+ -> \S+)\s*(.*)$/.exec(protoLine);
    addresses = ip ? ip[1] : "";
    protoLine = ip ? ip[2] : protoLine;
  }
  if (addresses !== "" && !/^\S+ -> \S+$/.test(addresses)) return rejected(`alert_full: addresses: expected "source -> destination": ${quoted(addresses, 40)}`);
  const proto = FULL_PROTO.exec(protoLine)?.[1];
  const line = `${stamp[0]}${head} ${brackets.join(" ")}${proto ? ` {${proto}}` : ""}${addresses ? ` ${addresses}` : ""}`;
  return parseFast(line, ctx, null, prepared.line);
}

/** `record`: the alert_full record `line` was made of (what is stored and fingerprinted). */
function parseFast(line: string, ctx: ParseContext, csv: CsvFields = null, record?: string): ParseOutcome {
  // Snort 3's alert_json (a Suricata EVE record is refused there, naming its endpoint)
  if (/^\s*\{/.test(line)) return parseSnort3Json(line, ctx);
  // after a field list is named, a line that is not fast.log's ("[**]" after its stamp) is alert_csv in it
  // (Snort 2's alert_csv, its stamp then " ,", is still read as Snort 2's)
  if (csv && !/^[\d/:.-]+ +(?:,|.*\[\*\*\])/.test(line)) {
    return "fields" in csv ? parseSnort3CsvFields(line, csv.fields, ctx) : rejected(`Snort 3 alert_csv: ${csv.refused}`);
  }
  // Snort 3's alert_csv: its separator right after the stamp (Snort 2's stamp ends in a blank)
  if (isSnort3Csv(line)) return parseSnort3Csv(line, ctx);
  const stamp = STAMP.exec(line);
  if (!stamp) {
    if (SYSLOG_ALERT.test(line)) return rejected("not fast.log: a syslog line (Snort's and Suricata's alerts over syslog are read on /api/v1/ingest/syslog)");
    if (looksLikeSnort3Csv(line)) return rejected(SNORT3_CSV_CUSTOM);
    return rejected(`not fast.log: no MM/DD-hh:mm:ss stamp at the start: ${quoted(line, 40)}`);
  }
  let time = fastTime(stamp, ctx);
  if (!time.ok) return rejected(time.reason);
  let rest = line.slice(stamp[0].length);
  // Snort 2's alert_csv: the stamp, then its other columns
  if (rest.startsWith(",")) return parseCsvAlert(rest, time.ms, line);
  // an inline sensor writes what it did first: "[Drop]", or "[wDrop]" when it would have
  const verdict = ACTION.exec(rest);
  if (verdict) rest = rest.slice(verdict[0].length);
  const action = verdict ? actionOf(verdict[1]) : undefined;
  const head = HEAD.exec(rest);
  const close = head ? rest.indexOf("[**]", head[0].length) : -1;
  if (!head || close < 0) return rejected(`not fast.log: expected "[**] [gid:sid:rev] message [**]" after the stamp: ${quoted(rest, 40)}`);
  let text = rest.slice(head[0].length, close);
  // Snort prints the interface as " <eth0> " after the rule id's own blank: two blanks before it
  const iface = IFACE.exec(text);
  text = (iface ? text.slice(iface[0].length) : text).trim();
  const quotedMessage = text.length >= 2 && text.startsWith('"') && text.endsWith('"');
  const [gid, sid, rev] = [head[1], head[2], head[3]].map(Number);
  // a rule without msg: Suricata prints "(null)" (or nothing, for msg:""), so the rule's id names it
  const message = quotedMessage ? text.slice(1, -1) : text;
  const signature = message && message !== "(null)" ? message : `${gid}:${sid}:${rev}`;
  // Snort 3 quotes the message, and its -y stamp is YY/MM/DD (Snort 2's is MM/DD/YY)
  if (quotedMessage && stamp[3]?.length === 2 && stamp[1].length === 2) {
    time = fastTime(stamp, ctx, true);
    if (!time.ok) return rejected(time.reason);
  }

  let tail = rest.slice(close + 4);
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
  const withYear = stamp[3] !== undefined;
  const service = quotedMessage ? "snort" : signature.startsWith("SURICATA ") || withYear ? "suricata" : "snort";
  let ends: Endpoints = NO_ENDPOINTS;
  if (tail.trim() !== "") {
    const m = ENDPOINTS.exec(tail);
    if (!m) return rejected(`addresses: expected "source -> destination": ${quoted(tail.trim(), 40)}`);
    const read = endpoints(m[1], m[2], proto, service === "suricata");
    if ("reason" in read) return rejected(read.reason);
    ends = read;
  }
  const draft = idsDraft({ gid, sid, rev, signature, classification, priority, appId, iface: iface?.[1] ?? null, action, proto, ends, service });
  return finish("fast", { time: time.ms, ...draft }, record ?? line);
}

// Snort 2's alert_csv, in the two column lists that can be known (the stamp is the first column,
// and Snort writes a blank after it):
//   default (27)  timestamp,sig_generator,sig_id,sig_rev,msg,proto,src,srcport,dst,dstport,ethsrc,ethdst,ethlen,
//                 tcpflags,tcpseq,tcpack,tcplen,tcpwindow,ttl,tos,id,dgmlen,iplen,icmptype,icmpcode,icmpid,icmpseq
//   pfSense (15)  timestamp,sig_generator,sig_id,sig_rev,msg,proto,src,srcport,dst,dstport,id,classification,priority,action,disposition
const CSV_DEFAULT_COLUMNS = 27;
const CSV_PFSENSE_COLUMNS = 15;

/** A CSV row (quotes around a field, a quote in it doubled); null past `max` fields. */
function csvFields(text: string, max: number): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (out.length >= max) return null;
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return null; // an unclosed quote
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      if (i < text.length && text[i] !== ",") return null;
    } else {
      const c = text.indexOf(",", i);
      field = text.slice(i, c < 0 ? text.length : c);
      i = c < 0 ? text.length : c;
    }
    out.push(field);
    if (i >= text.length) return out;
    i++; // the comma
  }
}

/** A Snort 2 alert_csv line (after its stamp) to an event. */
function parseCsvAlert(rest: string, time: number, line: string): ParseOutcome {
  const f = csvFields(rest, 40);
  const n = f ? f.length : 0;
  if (!f || (n !== CSV_DEFAULT_COLUMNS && n !== CSV_PFSENSE_COLUMNS)) {
    return rejected(`Snort alert_csv: ${f ? `${n} columns` : "not CSV"}; read are Snort's default columns (27) and pfSense's (15): a custom field list cannot be known`);
  }
  const ids = [f[1], f[2], f[3]];
  if (!ids.every((v) => /^\d{1,10}$/.test(v))) return rejected(`Snort alert_csv: gid, sid and rev must be numbers: ${quoted(ids.join(":"))}`);
  const [gid, sid, rev] = ids.map(Number);
  const signature = f[4];
  if (!signature) return rejected("message: empty");
  const proto = /^[A-Za-z0-9_-]{1,16}$/.test(f[5]) ? f[5].toUpperCase() : null;
  const end = (ip: string, port: string, what: string): Endpoint | { reason: string } => {
    if (ip === "") return { ip: null, port: null };
    const addr = canonicalIp(ip);
    if (!addr) return { reason: `${what}: not an address: ${quoted(ip)}` };
    if (port === "") return { ip: addr, port: null };
    const p = portOf(port);
    return p === null ? { reason: `${what} port: not a port: ${quoted(port)}` } : { ip: addr, port: p };
  };
  const src = end(f[6], f[7], "source");
  if ("reason" in src) return rejected(src.reason);
  const dst = end(f[8], f[9], "destination");
  if ("reason" in dst) return rejected(dst.reason);
  let classification: string | null = null;
  let priority: number | null = null;
  let action: string | undefined;
  let icmpType: number | undefined;
  let icmpCode: number | undefined;
  if (n === CSV_PFSENSE_COLUMNS) {
    classification = f[11] || null;
    if (f[12] !== "") {
      if (!/^\d{1,3}$/.test(f[12])) return rejected(`priority: not a number: ${quoted(f[12])}`);
      priority = Number(f[12]);
    }
    const d = f[14].toLowerCase();
    action = /would/.test(d) ? "would_block" : /^(?:block|drop|reject|reset)/.test(d) ? "blocked" : /^(?:allow|pass)/.test(d) ? "allowed" : d || undefined;
  } else {
    icmpType = icmpNumber(f[23]) ?? undefined;
    icmpCode = icmpNumber(f[24]) ?? undefined;
  }
  const ends: Endpoints = { src, dst, icmpType, icmpCode };
  const draft = idsDraft({ gid, sid, rev, signature, classification, priority, appId: null, iface: null, action, proto, ends, service: "snort" });
  return finish("fast", { time, ...draft }, line);
}

/**
 * The stamp's instant. `MM/DD` has no year; with a third number, a 4-digit part is the year
 * (`MM/DD/YYYY`, `YYYY/MM/DD`), and with three 2-digit parts `MM/DD/YY` (what Snort 2's `-y` and
 * older Suricata write) is read whenever it is a date, else `YY/MM/DD` (as in plaso's Suricata
 * samples); `yearFirst` (a Snort 3 line: its message is quoted) reads `YY/MM/DD`, as Snort 3's `-y` writes.
 */
function fastTime(m: RegExpExecArray, ctx: ParseContext, yearFirst = false): TimeResult {
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
  if (!yearFirst && isCalendarDate(2000 + c, a, b)) return zonedInstant(2000 + c, a, b, h, mi, s, ms, zone, shown);
  return zonedInstant(2000 + a, b, c, h, mi, s, ms, zone, shown);
}

/** How sensors name ICMP in braces (Suricata: ICMP, IPV6-ICMP; Snort: ICMP). */
const ICMP = new Set(["ICMP", "IPV6-ICMP", "ICMPV6", "ICMP6", "IPV6_ICMP"]);

/**
 * Source and destination tokens to addresses and ports. Suricata writes an ICMP packet's type
 * and code after the addresses, where the ports would be (`192.0.2.1:8 -> 198.51.100.1:0`): read
 * as type and code, never ports. Snort writes ICMP addresses bare, so there an IPv6 text is an
 * address as a whole; `icmpAppended` says the writer is Suricata.
 */
function endpoints(srcText: string, dstText: string, proto: string | null, icmpAppended: boolean): Endpoints | { reason: string } {
  if (proto !== null && ICMP.has(proto)) {
    const s = icmpEndpoint(srcText, icmpAppended);
    if (!s) return { reason: `source: not an address: ${quoted(srcText)}` };
    const d = icmpEndpoint(dstText, icmpAppended);
    if (!d) return { reason: `destination: not an address: ${quoted(dstText)}` };
    return { src: { ip: s.ip, port: null }, dst: { ip: d.ip, port: null }, icmpType: s.n ?? undefined, icmpCode: d.n ?? undefined };
  }
  const s = endpoint(srcText, proto, icmpAppended);
  if (!s) return { reason: `source: not an address: ${quoted(srcText)}` };
  const d = endpoint(dstText, proto, icmpAppended);
  if (!d) return { reason: `destination: not an address: ${quoted(dstText)}` };
  return { src: s, dst: d };
}

/** An ICMP end: the address, and the number appended after it (type or code), if any. */
function icmpEndpoint(token: string, appended: boolean): { ip: string; n: number | null } | null {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,3}))?$/.exec(token);
  if (bracketed) {
    const ip = canonicalIp(bracketed[1]);
    return ip ? { ip, n: bracketed[2] === undefined ? null : icmpNumber(bracketed[2]) } : null;
  }
  const whole = canonicalIp(token);
  const colon = token.lastIndexOf(":");
  const ip = colon > 0 ? canonicalIp(token.slice(0, colon)) : null;
  const n = colon > 0 ? icmpNumber(token.slice(colon + 1)) : null;
  if (ip && n !== null && (appended || !whole)) return { ip, n };
  return whole ? { ip: whole, n: null } : null;
}

/** An ICMP type or code: 0–255 in decimal. */
function icmpNumber(text: string): number | null {
  return /^\d{1,3}$/.test(text) && Number(text) <= 255 ? Number(text) : null;
}

/**
 * `10.0.0.1:80`, `[2001:db8::1]:80`, `2001:db8:0:0:0:0:0:1:80` (IPv6 with the port appended, no
 * brackets) or an address alone (ICMP). An IPv6 text is split at its last colon only when what
 * remains is an address and the tail a port; when both readings are addresses, the protocol and
 * the writer decide: TCP, UDP and SCTP have ports, and Suricata (`appended`) writes one after every
 * address, 0 for a protocol without ports (`{ESP} 2001:db8::1:0 -> …`), where Snort writes the
 * address bare. A protocol without ports has none: its appended 0 is no port.
 */
function endpoint(token: string, proto: string | null, appended: boolean): Endpoint | null {
  const e = endpointAsWritten(token, proto, appended);
  return e && e.port === 0 && proto !== null && !PORTED.has(proto) ? { ip: e.ip, port: null } : e;
}

function endpointAsWritten(token: string, proto: string | null, appended: boolean): Endpoint | null {
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
  // (Suricata's appended number for a protocol without ports is 0; a Snort 2 `-y` line, whose stamp
  // reads as Suricata's, writes such an address bare, so another last number stays the address's)
  if (whole && split) return (proto !== null && PORTED.has(proto)) || (appended && split.port === 0) ? split : { ip: whole, port: null };
  return split ?? (whole ? { ip: whole, port: null } : null);
}

// The same alerts written to syslog, after the tag (Snort's alert_syslog, Suricata's alert-syslog):
//   [1:2001219:20] ET SCAN Potential SSH Scan [Classification: Attempted Information Leak] [Priority: 2] {TCP} 192.0.2.1:52566 -> 198.51.100.25:22
//   [Drop] [1:…] …                      Suricata inline, as in its fast.log
//   … [Priority: 2]: <eth0> {ICMP} a -> b   older Snort 2 (a colon), and -I's interface
//   … [Priority: 3] [**] [Raw pkt: …]   a Suricata decoder event: no addresses
// No [**] around the message, which runs to the brackets at the end: these are read from the end.
const SYSLOG_ACTION = /^\[(Drop|wDrop)\] /;
const SYSLOG_HEAD = /^\[(\d{1,10}):(\d{1,10}):(\d{1,10})\] ?/;
const SYSLOG_FIELD = /^(Classification|Priority|AppID): ?(.*)$/;

/** An IDS alert written to syslog, read: the event but its time (`null`: not an alert's form). */
export type IdsSyslogResult = { ok: true; draft: Omit<Draft, "time"> } | { ok: false; reason: string } | null;

/**
 * The message of a `snort` or `suricata` syslog line as an IDS alert, the same event its fast.log
 * line gives; null when it does not have an alert's form (a start-up line, a warning), so the
 * caller skips it.
 */
export function parseIdsSyslogMessage(text: string, service: "snort" | "suricata"): IdsSyslogResult {
  let rest = text;
  const verdict = SYSLOG_ACTION.exec(rest);
  if (verdict) rest = rest.slice(verdict[0].length);
  const head = SYSLOG_HEAD.exec(rest);
  if (!head) return null;
  rest = rest.slice(head[0].length);
  // a Suricata decoder event (no IP header) ends with the packet in hex
  const raw = rest.indexOf(" [**] [Raw pkt:");
  if (raw >= 0) rest = rest.slice(0, raw);
  rest = rest.trimEnd();

  // from the end: "src -> dst", "{PROTO}", "<iface>", then the [Field: value] brackets
  let ends: Endpoints = NO_ENDPOINTS;
  let proto: string | null = null;
  const arrow = rest.lastIndexOf(" -> ");
  const dstText = arrow >= 0 ? rest.slice(arrow + 4) : "";
  if (dstText !== "" && !/\s/.test(dstText)) {
    const space = rest.lastIndexOf(" ", arrow - 1);
    const srcText = rest.slice(space + 1, arrow);
    const before = rest.slice(0, Math.max(space, 0)).trimEnd();
    const p = /\{([A-Za-z0-9:_-]{1,32})\}$/.exec(before.slice(-34));
    const read = srcText === "" ? { reason: "source: missing" } : endpoints(srcText, dstText, p ? p[1].toUpperCase() : null, service === "suricata");
    if (!("reason" in read)) {
      ends = read;
      rest = before;
    } else if (p) return { ok: false, reason: read.reason }; // after a {PROTO}, these are the addresses
    // else the arrow is the message's own: no addresses
  }
  const p = /\{([A-Za-z0-9:_-]{1,32})\}$/.exec(rest.slice(-34));
  if (p) {
    proto = p[1].toUpperCase();
    rest = rest.slice(0, -p[0].length).trimEnd();
  }
  let iface: string | null = null;
  const i = /<([^<>\s]{1,64})>$/.exec(rest.slice(-66));
  if (i) {
    iface = i[1];
    rest = rest.slice(0, -i[0].length).trimEnd();
  }
  let classification: string | null = null;
  let priority: number | null = null;
  let appId: string | null = null;
  for (let n = 0; n < 3; n++) {
    const end = rest.endsWith("]:") ? rest.length - 2 : rest.endsWith("]") ? rest.length - 1 : -1;
    if (end < 0) break;
    const open = rest.lastIndexOf("[", end);
    const field = open >= 0 ? SYSLOG_FIELD.exec(rest.slice(open + 1, end)) : null;
    if (!field) break;
    const value = field[2].trim();
    if (field[1] === "Classification") classification = value && value !== "(null)" ? value : null;
    else if (field[1] === "Priority") {
      if (!/^\d{1,3}$/.test(value)) return { ok: false, reason: `priority: not a number: ${quoted(value)}` };
      priority = Number(value);
    } else appId = value || null;
    rest = rest.slice(0, open).trimEnd();
  }
  let message = rest.trim();
  if (message.length >= 2 && message.startsWith('"') && message.endsWith('"')) message = message.slice(1, -1);
  const [gid, sid, rev] = [head[1], head[2], head[3]].map(Number);
  // a rule without msg ("(null)" in Suricata's alert-syslog): the rule's id names it
  const signature = message && message !== "(null)" ? message : `${gid}:${sid}:${rev}`;
  const action = verdict ? actionOf(verdict[1]) : undefined;
  return { ok: true, draft: idsDraft({ gid, sid, rev, signature, classification, priority, appId, iface, action, proto, ends, service }) };
}
