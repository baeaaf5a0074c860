import { checkpointFlow, deviceDenyFlow, filterlogFlow, junosDenyFlow, mikrotikFlow, netfilterFlow, panosFlow } from "./firewall";
import { parseInstant } from "../../../lib/time/instant";
import type { ParseContext, ParseOutcome } from "../types";
import { maskCardNumbers } from "../masking";
import { finish, guarded, hostSourceOf, jsonObject, prepareLine, quoted, sourceOf, textField } from "./common";
import { parseEveLine } from "./eve";
import { parseIdsSyslogMessage } from "./fast";
import { parseSnort3Json } from "./snort3";
import { isAsaEcho, junosEcho, matchDevice, SPACED_ORIGIN } from "./syslog-devices";
import { matchWindows } from "./syslog-windows";
import { matchProftpd, matchPureFtpd, matchVsftpd } from "./syslog-ftp";
import { isDovecotAuthEcho, matchDovecot, matchLogin, matchPostfix } from "./syslog-mail";
import { matchDoas, matchPam, matchSu, matchSudo } from "./syslog-pam";
import { matchDropbear, matchSshd, type AuthMatch } from "./syslog-sshd";
import { fractionMs, monthOfAbbrev, resolveYearless, zonedInstant, type TimeResult } from "./time";

// Syslog lines in three envelopes (and in place of the stamp: a TAI64N label, as multilog and svlogd
// write; journalctl's short-unix and short-full stamps):
//   RFC 3164  <38>Mar  1 12:00:00 host sshd[123]: Failed password for root from 203.0.113.5 port 22 ssh2
//   RFC 5424  <38>1 2026-03-01T12:00:00.1Z host sshd 123 - - Failed password for root from …
//   ISO       2020-03-24 08:38:42.344447-0700 host sshd[2519]: Failed password for …
// sshd, PAM, su, sudo and doas authentication lines become events; any other well-formed line is skipped.

const RFC3164 = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:\s+|$)/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?(?:\s+|$)/;
// daemontools' multilog / runit's svlogd -t: a TAI64N label, "@" and 24 hex digits (seconds + 2^62,
// then nanoseconds), by libtai's convention the Unix time + 10 s (s6-log counts leap seconds too:
// its labels read 27 s late)
const TAI64N = /^@(4[0-9a-f]{15})([0-9a-f]{8})(?:\s+|$)/;
// journalctl's other outputs: -o short-unix ("1704103200.123456 host sshd[1]: …", seconds since the
// epoch) and -o short-full ("Mon 2024-01-01 10:00:00 CET host sshd[1]: …", the host's zone by its abbreviation)
const SHORT_UNIX = /^(\d{9,11})\.(\d{6})(?:\s+|$)/;
const SHORT_FULL = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? ([A-Za-z][A-Za-z0-9+-]{1,9})(?:\s+|$)/;
const YEAR_AFTER = /^((?:19|20)\d{2})(?:\s+|$)/;
// OpenWrt's logread (ubox logd): ctime's stamp with the year, no host, then the facility and level
// ("Wed Dec  3 10:00:01 2026 authpriv.info dropbear[1234]: …"), in the router's local time
const CTIME = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) (?=\S+\.\S+ )/;
// BusyBox syslogd (OpenWrt, Alpine, embedded images) writes the facility and level after the host
// ("Dec  3 10:00:01 OpenWrt authpriv.info dropbear[1234]: …"), logread before the tag, AIX's syslogd
// its facility's names and the level after a colon ("… aix1 auth|security:info sshd[2346]: …"): not the tag
const FACILITY = String.raw`(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|ntp|security|console|audit|mark|caa|aso|local[0-7]|<\d{1,3}>)`;
const FACILITY_LEVEL = new RegExp(String.raw`^${FACILITY}(?:\|${FACILITY}){0,3}[.:](?:emerg|panic|alert|crit|err|error|warn|warning|notice|info|debug|none|<\d{1,3}>)$`, "i");
const RFC5424 = /^1 (\S+) (\S+) (\S+) (\S+) (\S+) /;
// tag: program, an optional "(pam_unix)" of old PAM lines, an optional [pid], then a colon
const TAG = /^([^\s[\]:()]{1,128})(?:\(([^\s()]{1,64})\))?(?:\[([^\]\s]{1,32})\])?:(?:\s+|$)/;
const SUDO_LOGFILE = /^: \S.{0,255}? : /;
/** A line of sudo's log file that continues the one above: 4 spaces, then text, no stamp. */
export const SUDO_CONTINUATION = /^ {4}(?! )\S/;
const SUDO_CONTINUATION_ALONE = "an indented continuation line with no stamp (as sudo's log file wraps its long entries), sent without the entry it continues";
/** The start of an entry of sudo's own log file: its stamp (with log_year, the year after it), then " : ". */
export const SUDO_LOGFILE_ENTRY = /^[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}(?: \d{4})? : \S/;
// GDM's PAM worker names itself "gdm-password]" (its process title, "gdm-session-worker [pam/gdm-password]",
// cut at the blank): the program without its stray bracket
const GDM_TAG = /^(gdm-[a-z-]{1,64})\]:(?:\s+|$)/;
// Solaris: "[ID 800047 auth.notice] Failed none for root …"
const SOLARIS_ID = /^\[ID \d+ [a-z0-9]+\.[a-z]+\] /;
const REPEATED = /^message repeated (\d{1,9}) times?: \[\s?(.*?)\s?\]\s*$/;
// BSD syslogd / rsyslog / syslog-ng: the host's previous message again, N more times (no tag)
const LAST_REPEATED = /^(?:--- )?last message repeated (\d{1,9}) times?(?: ---)?\s*$/;

const rejected = (reason: string): ParseOutcome => ({ status: "rejected", reason });
/** rsyslog's escape of a carriage return at the end of a message (a sender's CRLF): not text of it */
const TRAILING_CR = /(?:#015)+\s*$/;

/** A message, or the one inside rsyslog's `message repeated N times: [ … ]`, and how many times it stands for. */
function unrepeated(message: string): { text: string; occurrences: number } {
  const repeated = REPEATED.exec(message);
  return repeated ? { text: repeated[2], occurrences: Math.max(1, Number(repeated[1])) } : { text: message, occurrences: 1 };
}

interface Envelope {
  time: number;
  host: string | null;
  program: string | null;
  /** the PAM module of an old-style tag, `su(pam_unix)[pid]:` */
  module: string | null;
  pid: string | null;
  message: string;
  /** RFC 5424's MSGID (Junos puts its event tag there, SSHD_LOGIN_FAILED, and not in the message) */
  msgid?: string | null;
  /** RFC 5424's STRUCTURED-DATA as written (`[id k="v" …]…`), null for `-` or another form */
  structured?: string | null;
}

/**
 * One syslog line (RFC 3164, RFC 5424 or ISO-stamped) to an authentication event, a skip (well
 * formed but not security-relevant: cron, systemd, session lines …) or a rejection with the reason.
 * Stamps without an offset are read in `ctx.timeZone` (default UTC); without a year, they take
 * `ctx.now`'s year, or the year before when that would be more than a day ahead.
 */
export function parseSyslogLine(line: string, ctx: ParseContext): ParseOutcome {
  const prepared = prepareLine(line);
  if (!prepared.ok) return prepared.outcome;
  return guarded(() => parseSyslog(prepared.line, ctx));
}

function parseSyslog(line: string, ctx: ParseContext): ParseOutcome {
  // sudo's log file wraps an entry past loglinelen (80) at a blank, indenting the rest by 4 spaces;
  // the upload joins such a line to the entry above (formats.ts), so one here came without it
  if (SUDO_CONTINUATION.test(line)) return { status: "skipped", reason: SUDO_CONTINUATION_ALONE };
  const env = envelope(line, ctx);
  if ("reason" in env) return rejected(env.reason);
  const name = env.program;
  // a router's, firewall's or VPN gateway's login, wherever the device put it after the header
  if (!name) {
    // a firewall's denied connection (an ASA, a FortiGate, a Palo Alto, a Check Point, a MikroTik) sent without a program tag: a flow for the port-scan rule
    const denied =
      deviceDenyFlow(null, env.message, env.time, line) ??
      panosFlow(env.message, env.time, line) ??
      checkpointFlow(env.structured ? `${env.structured} ${env.message}` : env.message, env.time, line) ??
      mikrotikFlow(env.message, env.time, line) ??
      netfilterFlow(env.message, env.time, line);
    if (denied) return denied;
    // a router's, firewall's or VPN gateway's login, or a Windows logon, sent without a program tag
    const device = matchDevice(null, env.message) ?? matchWindows(null, env.message);
    if (device) return eventOf(device, env, line, 1);
    // "Mar  1 12:00:00 web-1 last message repeated 3 times" (a logger without the host: "last" was taken for it)
    const bare = env.host === "last" ? `last ${env.message}` : env.message;
    const last = LAST_REPEATED.exec(bare);
    if (last) {
      const host = env.host === "last" ? null : env.host;
      const times = Math.max(1, Number(last[1]));
      return { status: "skipped", reason: "last message repeated: the host's previous line is not an event of this upload", repeat: { host, times } };
    }
    return { status: "skipped", reason: "not security-relevant: no program tag" };
  }
  // "#012" is rsyslog's escape for a newline inside a message: what follows is a continuation,
  // kept in the message but not read for the pattern
  // (a sender's CRLF line end reaches a file as "#015": dropped)
  const whole = env.message.replace(SOLARIS_ID, "").replace(TRAILING_CR, "");
  const cut = whole.indexOf("#012");
  let { text, occurrences } = unrepeated(cut >= 0 ? whole.slice(0, cut) : whole);
  // an IDS alert forwarded over syslog: Snort's and Suricata's alert form, Suricata's EVE JSON, Snort 3's alert_json
  const ids = idsOverSyslog(name, env, text, occurrences, line, ctx);
  if (ids) return ids;
  // a firewall's packet log or denied connection: a flow for the port-scan rule. Each form only
  // under its own tag (the kernel's, filterlog, an ASA message id, RT_FLOW, CheckPoint, MikroTik's
  // topics) or none, never read out of another program's message: a user name chosen to look like
  // a packet log would otherwise turn a failed login into an uncounted flow
  const program = name.toLowerCase();
  if (program === "filterlog") return filterlogFlow(text, env.time, line);
  const packet =
    (NETFILTER_TAGS.has(program) ? netfilterFlow(text, env.time, line) : null) ??
    deviceDenyFlow(name, env.message, env.time, line) ??
    (program === "rt_flow" || env.msgid?.startsWith("RT_FLOW_SESSION_DENY") ? junosDenyFlow(text, env.msgid, env.time, line, env.structured ?? null) : null) ??
    (program === "checkpoint" ? checkpointFlow(env.structured ? `${env.structured} ${text}` : text, env.time, line) : null) ??
    (/^firewall(?:,[a-z]{1,16}){0,4}$/.test(program) ? mikrotikFlow(text, env.time, line) : null);
  if (packet) return packet;
  // a program's own patterns first; a device's or Windows agent's text only where none matched
  let match = matchFor(name, env.module, text.trimEnd()) ?? matchDevice(name, text, env.pid) ?? matchWindows(name, text);
  // a "#012" that is a client's own text, not a line break: a user name typed with it (sshd writes a
  // real control character as "\012", so its lines never hold a break) must not hide the try, so a
  // line whose first part is no login is read whole
  if (!match && cut >= 0) {
    const read = unrepeated(whole);
    match = matchFor(name, env.module, read.text.trimEnd());
    if (match) ({ text, occurrences } = read);
  }
  // Junos in RFC 5424 (structured-data) puts its event tag in MSGID, not before the message
  if (!match && env.msgid && JUNOS_EVENT.test(env.msgid)) match = matchFor(name, null, `${env.msgid}: ${text.trimEnd()}`);
  // a line that goes with another line of the same try, which counts it: without a pid the two cannot be paired
  if (match?.pidlessEcho && !env.pid) return { status: "skipped", reason: match.pidlessEcho };
  if (match?.skip) return { status: "skipped", reason: match.skip };
  const echo = match ? null : junosEcho(name, env.msgid && JUNOS_EVENT.test(env.msgid) ? `${env.msgid}: ${text}` : text);
  if (echo) return { status: "skipped", reason: echo };
  // dovecot's PAM stack reports the tries its login process's line counts (under any tag)
  if (match?.attributes?.pam_service === "dovecot") return { status: "skipped", reason: "dovecot auth process: its login process's line counts these tries" };
  if (!match && isAsaEcho(name, env.message)) return { status: "skipped", reason: "asa 611102: the 113005/113015 line of the same try counts it" };
  if (!match && isDovecotAuthEcho(name.toLowerCase(), text)) return { status: "skipped", reason: "dovecot auth process: its login process's line counts these tries" };
  if (!match) return { status: "skipped", reason: `not security-relevant: ${/^[\w.@-]{1,32}$/.test(name) ? name : quoted(name, 32)}` };
  return eventOf(match, env, line, occurrences);
}

/**
 * A `snort` or `suricata` line that is an alert (null: it is not, read on as any program's line):
 * the alert form of Snort's alert_syslog and Suricata's alert-syslog output, read as its fast.log
 * line is, in the envelope's time; or, under `suricata`, an EVE JSON record (eve-log `filetype:
 * syslog`, OPNsense's "eve syslog output"), read as the EVE endpoint reads it: its own time, and
 * its fingerprint, so a record that also reaches /ingest/suricata is stored once; under `snort`,
 * likewise a Snort 3 alert_json record, read as /ingest/fast reads it. The syslog host is the
 * record's `host` where the record names none (alert_json never does).
 */
function idsOverSyslog(name: string, env: Envelope, text: string, occurrences: number, line: string, ctx: ParseContext): ParseOutcome | null {
  const program = name.toLowerCase().replace(/^.*\//, "");
  if (program !== "snort" && program !== "suricata") return null;
  if (env.message.startsWith("{") || text.startsWith("{")) {
    // the record whole (a "#012" inside it is text of the record, not a continuation)
    const repeated = REPEATED.exec(env.message);
    const record = repeated ? repeated[2] : env.message;
    const o = snortRecord(record, program) ? parseSnort3Json(record, ctx) : parseEveLine(record, ctx);
    if (o.status !== "event") return o;
    const attributes = { ...o.event.attributes };
    if (attributes.host === undefined && env.host) attributes.host = maskCardNumbers(env.host);
    return { status: "event", event: { ...o.event, attributes, occurrences: o.event.occurrences * occurrences } };
  }
  const read = parseIdsSyslogMessage(text.trimEnd(), program);
  if (!read) return null;
  if (!read.ok) return rejected(read.reason);
  const attributes = Object.assign({ host: env.host ?? undefined, program: env.program, pid: env.pid ?? undefined }, read.draft.attributes);
  return finish("syslog", { ...read.draft, time: env.time, attributes, occurrences }, line);
}

/**
 * Whether a JSON record sent over syslog is Snort 3's alert_json rather than Suricata's EVE: by
 * what it holds (EVE names its event_type; alert_json its packet and rule fields), and only where
 * it holds neither by the tag it came under, since a relay or a shared rsyslog template may tag
 * one sensor's records with the other's name.
 */
function snortRecord(record: string, program: string): boolean {
  if (/"event_type"\s*:/.test(record)) return false;
  if (/"(?:pkt_num|pkt_gen|src_ap|dst_ap|rule)"\s*:/.test(record)) return true;
  return program === "snort";
}

/** The stored event of an auth line: the match in its envelope (time, host, program, pid). */
function eventOf(match: AuthMatch, env: Envelope, line: string, occurrences: number): ParseOutcome {
  const source = match.fromIsClientName ? hostSourceOf(match.from) : sourceOf(match.from);
  return finish(
    "syslog",
    {
      time: env.time,
      kind: match.kind,
      severity: match.severity,
      service: match.service,
      src_ip: source.src_ip,
      src_host: source.src_host,
      src_port: match.port,
      dst_ip: null,
      dst_port: null,
      proto: null,
      user: match.user,
      signature: match.signature,
      message: env.message,
      attributes: Object.assign({ host: env.host, program: env.program, pid: env.pid ?? undefined, attempt: match.attempt }, match.attributes),
      occurrences: occurrences * (match.occurrences ?? 1),
    },
    line,
  );
}

function matchFor(name: string, tagModule: string | null, text: string): AuthMatch | null {
  const program = name.toLowerCase().replace(/^.*\//, "");
  const pam = matchPam(text, tagModule, program);
  if (pam || tagModule) return pam;
  if (program === "sshd" || program === "sshd-session" || program === "sshd-auth") return matchSshd(text, program);
  if (program === "dropbear") return matchDropbear(text);
  if (program === "su") return matchSu(text);
  if (program === "sudo") return matchSudo(text);
  if (program === "doas") return matchDoas(text);
  if (program === "dovecot" || program.endsWith("-login")) return matchDovecot(program, text);
  // postfix/smtpd, postfix/submission/smtpd: the name after the last slash
  if (program === "smtpd") return matchPostfix(text);
  if (program === "login") return matchLogin(text);
  if (program === "vsftpd") return matchVsftpd(text);
  if (program === "proftpd") return matchProftpd(text);
  if (program === "pure-ftpd") return matchPureFtpd(text);
  return null;
}

/** a Junos event tag (UI_LOGIN_EVENT, SSHD_LOGIN_FAILED …) */
/** The tags netfilter's LOG text comes under: the kernel's log (syslog, journald), ulogd's NFLOG. */
const NETFILTER_TAGS = new Set(["kernel", "ulogd", "ulogd2"]);

const JUNOS_EVENT = /^[A-Z][A-Z0-9]{1,31}_[A-Z0-9_]{1,63}$/;

// a Cisco line without a syslog header: its sequence number, its origin-id (`logging origin-id`:
// a host name, an address or a string, which names the device), both optional, then its own stamp
// (a second number is the device's own sequence number, "000123: ", never its origin)
// (an origin-id string may hold spaces: "core rtr 1: ")
// ("<189>: …": no sequence number, its colon kept; "3132811: sw01: 3132807: …": the syslog
// message number, the origin-id, then the device's own sequence number; a year after the day:
// `service timestamps log datetime year`)
// a device's zone as it shows it (`show-timezone`): a name ("UTC", "CET"), perhaps with its offset
// from UTC after it ("UTC+1", "CET+1", "UTC-5", "GMT+05:30", "EST-0500"): name, sign, hours, minutes
const CISCO_ZONE = String.raw`([A-Za-z]{2,5})(?:([+-])(\d{1,2})(?::?(\d{2}))?)?`;
const CISCO_BARE = new RegExp(String.raw`^(?:\d{1,10}: |: )?(?:\d{6,10}: )?(?:(?!\d{1,10}: )(${SPACED_ORIGIN}): (?:\d{1,10}: )?)?([*.]?)([A-Z][a-z]{2}) {1,2}(\d{1,2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: ${CISCO_ZONE})?: (%.*)$`);
/** the same without a stamp (`no service timestamps log`, or uptime only): no time to read */
const CISCO_UNSTAMPED = /^(?:\d{1,10}: |: )?(?:[A-Za-z0-9][\w.:-]{0,62}: )?(?:\d{1,4}[ywdh]\d{1,2}[wdhm]: |\d{2}:\d{2}:\d{2}: )?%[A-Z][A-Z0-9_]{0,31}-\d-[A-Z0-9_]{1,40}: /;

/** vsftpd's own log file (vsftpd.log): "Tue Mar  3 10:00:00 2026 [pid 4711] [alice] FAIL LOGIN: Client "203.0.113.5"" */
const VSFTPD_LOG = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) (\[pid (\d{1,10})\] .*)$/;
/**
 * Snare's own format, sent without a syslog header (the agent's default before its "SYSLOG header"
 * option): "WEB-1\tMSWinEventLog\t1\tSecurity\t4711\tThu Sep 18 13:10:00 2025\t4625\t…", dated by its
 * DateTime column (the Windows host's local time: read in the configured zone).
 */
const SNARE_BARE = /^([^\s]{1,255})\t(MSWinEventLog\t\d{1,3}\t[^\t]{1,64}\t\d{1,20}\t(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})\t.*)$/;
/** proftpd's own SystemLog writes its tag without the colon: "… host proftpd[4711] ftp.example.com (…[203.0.113.5]): USER …" */
const PROFTPD_SYSTEMLOG_TAG = /^(proftpd)\[(\d{1,10})\] /;

// (a zone after the stamp only with its offset, "CET+1": a name alone could be the device id)
const ASA_STAMPED = new RegExp(String.raw`^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})(?: (?=[A-Za-z]{2,5}[+-]\d)${CISCO_ZONE})?(?: ([A-Za-z0-9_.-]{1,255}))? ?: (%(?:ASA|FTD|PIX)-\d-\d{6}: .*)$`);

/** An ASA line stamped by the ASA itself (its local time: read in the configured zone, as any zone-less stamp, or in the offset it shows after the stamp). */
function asaEnvelope(m: RegExpExecArray, ctx: ParseContext): Envelope | { reason: string } {
  const [, mon, day, year, h, mi, sec, abbrev, sign, oh, om, host, message] = m;
  let time: TimeResult;
  if (abbrev) {
    const offset = zoneOffset(abbrev, sign, oh, om);
    if (typeof offset !== "number") return offset;
    const month = monthOfAbbrev(mon);
    if (!month) return { reason: `timestamp: not a month: ${quoted(mon)}` };
    time = shifted(zonedInstant(Number(year), month, Number(day), Number(h), Number(mi), Number(sec), 0, "UTC", `${mon} ${day} ${year} ${h}:${mi}:${sec}`), offset);
  } else time = monthNameInstant(mon, day, year, h, mi, sec, ctx);
  if (!time.ok) return { reason: time.reason };
  return { time: time.ms, host: host ?? null, program: null, module: null, pid: null, message };
}

/** `Mon DD YYYY hh:mm:ss` written by a device in its local time: read in the configured zone. */
function monthNameInstant(mon: string, day: string, year: string, h: string, mi: string, sec: string, ctx: ParseContext): { ok: true; ms: number } | { ok: false; reason: string } {
  const month = monthOfAbbrev(mon);
  if (!month) return { ok: false, reason: `timestamp: not a month: ${quoted(mon)}` };
  return zonedInstant(Number(year), month, Number(day), Number(h), Number(mi), Number(sec), 0, ctx.timeZone ?? "UTC", `${mon} ${day} ${year} ${h}:${mi}:${sec}`);
}

/** A header-less Snare line: its host, its DateTime column (see SNARE_BARE). */
function snareEnvelope(m: RegExpExecArray, ctx: ParseContext): Envelope | { reason: string } {
  const [, host, message, mon, day, h, mi, sec, year] = m;
  const time = monthNameInstant(mon, day, year, h, mi, sec, ctx);
  if (!time.ok) return { reason: time.reason };
  return { time: time.ms, host, program: null, module: null, pid: null, message };
}

/** A vsftpd.log line: its stamp (in `use_localtime`'s zone: UTC unless set, read in the configured zone as any zone-less stamp), its pid. */
function vsftpdEnvelope(m: RegExpExecArray, ctx: ParseContext): Envelope | { reason: string } {
  const [, mon, day, h, mi, sec, year, message, pid] = m;
  const month = monthOfAbbrev(mon);
  if (!month) return { reason: `timestamp: not a month: ${quoted(mon)}` };
  const time = zonedInstant(Number(year), month, Number(day), Number(h), Number(mi), Number(sec), 0, ctx.timeZone ?? "UTC", `${mon} ${day} ${year} ${h}:${mi}:${sec}`);
  if (!time.ok) return { reason: time.reason };
  return { time: time.ms, host: null, program: "vsftpd", module: null, pid, message };
}

/**
 * A FortiGate line without a header: `date=2026-11-30 time=10:00:00 devname="fg1" … tz="+0100"`.
 * Its `eventtime` (epoch seconds, or finer) when given, else date and time in its `tz` offset, else
 * in the configured zone.
 */
/** The envelope fields of a FortiGate line, compiled once (`k="v"` or `k=v`, in its first 2 KB). */
const FORTI_ENVELOPE = Object.fromEntries(["devname", "eventtime", "date", "time", "tz"].map((k) => [k, new RegExp(`(?:^|\\s)${k}=(?:"([^"]{0,64})"|([^\\s"]{0,64}))`)]));

function fortiEnvelope(rest: string, ctx: ParseContext): Envelope | { reason: string } {
  const head = rest.slice(0, 2048);
  const value = (k: string) => {
    const m = FORTI_ENVELOPE[k].exec(head);
    return m ? (m[1] ?? m[2]) : undefined;
  };
  const host = value("devname") ?? null;
  const event = value("eventtime");
  if (event && /^\d{10,19}$/.test(event)) {
    // seconds, milliseconds, microseconds or nanoseconds since the epoch, by its number of digits
    const ms = Math.floor(Number(event.slice(0, 13).padEnd(13, "0")));
    if (Number.isFinite(ms)) return { time: ms, host, program: null, module: null, pid: null, message: rest };
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value("date") ?? "");
  const clock = /^(\d{2}):(\d{2}):(\d{2})$/.exec(value("time") ?? "");
  if (!date || !clock) return { reason: "timestamp: a FortiGate line needs date=YYYY-MM-DD and time=HH:MM:SS (or eventtime=)" };
  const shown = `${date[0]} ${clock[0]}`;
  const tz = value("tz");
  if (tz) {
    const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
    if (!offset) return { reason: `timestamp: tz=${quoted(tz)} is not an offset like +0100` };
    const r = parseInstant(`${date[0]}T${clock[0]}${offset[1]}${offset[2]}:${offset[3]}`);
    return r.ok ? { time: r.ms, host, program: null, module: null, pid: null, message: rest } : { reason: `timestamp: not a time: ${quoted(shown)}` };
  }
  const [y, mo, d] = date.slice(1).map(Number);
  const [h, mi, s] = clock.slice(1).map(Number);
  const time = zonedInstant(y, mo, d, h, mi, s, 0, ctx.timeZone ?? "UTC", shown);
  return time.ok ? { time: time.ms, host, program: null, module: null, pid: null, message: rest } : { reason: time.reason };
}

/**
 * The offset from UTC (ms, east positive) of a zone as a Cisco device shows it: "UTC"/"GMT" alone
 * is 0; a name with an offset ("UTC+1", "CET+1", "GMT+05:30", "EST-0500") is that offset, whatever
 * the name (the device says how far its clock is from UTC); a name alone is refused, naming it.
 */
function zoneOffset(abbrev: string, sign: string | undefined, oh: string | undefined, om: string | undefined): number | { reason: string } {
  const shown = `${abbrev}${sign ?? ""}${oh ?? ""}${om ? `:${om}` : ""}`;
  if (!sign) {
    if (/^(?:UTC|GMT)$/i.test(abbrev)) return 0;
    return { reason: `timestamp: zone ${quoted(abbrev)} is ambiguous: have the device log in UTC (clock timezone UTC 0) or show its offset` };
  }
  const hours = Number(oh);
  const minutes = om ? Number(om) : 0;
  if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) return { reason: `timestamp: zone ${quoted(shown)} is not an offset from UTC (−14:00 to +14:00)` };
  return (sign === "-" ? -1 : 1) * (hours * 3_600_000 + minutes * 60_000);
}

/** A wall-clock reading taken as UTC moved to the instant it is at `offset` (ms east of UTC). */
const shifted = (t: TimeResult, offset: number): TimeResult => (t.ok && offset ? { ok: true, ms: t.ms - offset } : t);

/** The envelope of a header-less Cisco line, dated by the device's own stamp (see CISCO_BARE). */
function ciscoEnvelope(m: RegExpExecArray, ctx: ParseContext): Envelope | { reason: string } {
  const [, origin, sync, mon, day, year, h, mi, sec, frac, abbrev, sign, oh, om, message] = m;
  if (sync) return { reason: `timestamp: the device's clock is not synchronised (${quoted(sync)} before its stamp): set up NTP on it, or send through a relay that stamps lines` };
  // a zone shown: its offset from UTC (0 for UTC/GMT alone); none shown: the configured zone
  const offset = abbrev ? zoneOffset(abbrev, sign, oh, om) : 0;
  if (typeof offset !== "number") return offset;
  const month = monthOfAbbrev(mon);
  if (!month) return { reason: `timestamp: not a month: ${quoted(mon)}` };
  const zone = abbrev ? "UTC" : (ctx.timeZone ?? "UTC");
  const shown = year ? `${mon} ${day} ${year} ${h}:${mi}:${sec}` : `${mon} ${day} ${h}:${mi}:${sec}`;
  // with an offset the wall clock is read as UTC, then moved back by it (the year from the
  // device's own "now", that is now moved forward by it)
  const time = shifted(
    year
      ? zonedInstant(Number(year), month, Number(day), Number(h), Number(mi), Number(sec), fractionMs(frac), zone, shown)
      : resolveYearless(month, Number(day), Number(h), Number(mi), Number(sec), fractionMs(frac), ctx.now + offset, zone, shown),
    offset,
  );
  if (!time.ok) return { reason: time.reason };
  return { time: time.ms, host: origin ?? null, program: null, module: null, pid: null, message };
}

function envelope(line: string, ctx: ParseContext): Envelope | { reason: string } {
  let rest = line;
  const pri = /^<(\d{1,3})>/.exec(rest);
  if (pri) {
    if (Number(pri[1]) > 191) return { reason: `PRI: <${pri[1]}> is out of range (0–191)` };
    rest = rest.slice(pri[0].length);
    if (rest.startsWith("1 ")) return rfc5424(rest);
  }
  const zone = ctx.timeZone ?? "UTC";
  // a JSON record in place of the syslog line: journalctl -o json (-o json-seq: after RFC 7464's
  // record separator), or NXLog's to_json() sent bare
  if (!pri && (rest.startsWith("{") || rest.startsWith("\u001e{"))) {
    const json = jsonEnvelope(rest.replace(/^\u001e/, ""), ctx);
    if (json) return json;
  }
  // a Cisco device without a syslog header: "<189>2345: *Nov 30 10:00:00.123 UTC: %SEC_LOGIN-…"
  // (its sequence number, its own stamp and zone; "*" or "." before it: a clock not synchronised)
  const cisco = CISCO_BARE.exec(rest);
  if (cisco) return ciscoEnvelope(cisco, ctx);
  const unstamped = CISCO_UNSTAMPED.exec(rest);
  if (unstamped) {
    return /%(?:ASA|FTD|PIX)-/.test(unstamped[0])
      ? { reason: "timestamp: none: an ASA line without the device's date (set logging timestamp, or send through a relay that stamps lines)" }
      : { reason: "timestamp: none: a Cisco line without the device's date (set service timestamps log datetime msec show-timezone, and the clock to UTC)" };
  }
  // a FortiGate in its default format: no header, its key=value fields from the start
  if (rest.startsWith("date=")) return fortiEnvelope(rest, ctx);
  // an ASA with `logging timestamp`: "Nov 30 2026 10:00:00: %ASA-…" or "Nov 30 2026 10:00:00 asa1 : %ASA-…"
  const asa = ASA_STAMPED.exec(rest);
  if (asa) return asaEnvelope(asa, ctx);
  const snare = SNARE_BARE.exec(rest);
  if (snare) return snareEnvelope(snare, ctx);
  const vsftpd = VSFTPD_LOG.exec(rest);
  if (vsftpd) return vsftpdEnvelope(vsftpd, ctx);
  let time: TimeResult;
  let m: RegExpExecArray | null;
  if ((m = SHORT_UNIX.exec(rest))) {
    time = { ok: true, ms: Number(m[1]) * 1000 + Math.floor(Number(m[2]) / 1000) };
  } else if ((m = SHORT_FULL.exec(rest))) {
    const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
    const abbrev = m[8];
    const shown = m[0].trim();
    if (/^(?:UTC|GMT)$/i.test(abbrev)) time = zonedInstant(y, mo, d, h, mi, sec, fractionMs(m[7]), "UTC", shown);
    else {
      // the host's zone by its abbreviation: read in the configured zone where that zone is so called then
      const t = zonedInstant(y, mo, d, h, mi, sec, fractionMs(m[7]), zone, shown);
      time = t.ok && !zoneNames(t.ms, zone).includes(abbrev) ? { ok: false, reason: `timestamp: zone ${quoted(abbrev)} is not the configured zone's (${zone}): set VIGIL_LOG_TIMEZONE to the host's zone, or export with journalctl -o short-iso` } : t;
    }
  } else if ((m = TAI64N.exec(rest))) {
    const seconds = Number(BigInt(`0x${m[1]}`) - 2n ** 62n - 10n);
    const ms = seconds * 1000 + Math.floor(parseInt(m[2], 16) / 1e6);
    time = Number.isSafeInteger(ms) && ms > 0 ? { ok: true, ms } : { ok: false, reason: `timestamp: not a time: ${quoted(m[0].trim())}` };
  } else if ((m = CTIME.exec(rest))) {
    const month = monthOfAbbrev(m[1]);
    if (!month) return { reason: `timestamp: not a month: ${quoted(m[1])}` };
    time = zonedInstant(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), 0, zone, m[0].trim());
  } else if ((m = ISO.exec(rest))) {
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
    const shown = m[0].trim();
    const offset = m[8];
    if (offset) {
      const r = parseInstant(shown.replace(" ", "T"));
      time = r.ok ? r : { ok: false, reason: `timestamp: not a time: ${quoted(shown)}` };
    } else time = zonedInstant(y, mo, d, h, mi, s, fractionMs(m[7]), zone, shown);
  } else if ((m = RFC3164.exec(rest))) {
    const month = monthOfAbbrev(m[1]);
    const shown = m[0].trim();
    if (!month) return { reason: `timestamp: not a month: ${quoted(m[1])}` };
    // a year after the time (Junos' `time-format year`, "Jan 24 21:16:48 2020  host …"): that year, not a guess
    // (a host named like a year to come is a host)
    const year = YEAR_AFTER.exec(rest.slice(m[0].length));
    if (year && Number(year[1]) <= new Date(ctx.now).getUTCFullYear() + 1) {
      m[0] += year[0];
      time = zonedInstant(Number(year[1]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), fractionMs(m[6]), zone, `${shown} ${year[1]}`);
    } else time = resolveYearless(month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), fractionMs(m[6]), ctx.now, zone, shown);
  } else {
    return { reason: `not syslog: no RFC 3164, RFC 5424 or ISO timestamp at the start: ${quoted(line, 40)}` };
  }
  if (!time.ok) return { reason: time.reason };
  rest = rest.slice(m[0].length);
  // the host is left out by some local loggers: then the first word is already the tag
  let host: string | null = null;
  const first = /^(\S+)(?:\s+|$)/.exec(rest);
  if (first && !first[1].endsWith(":") && !FACILITY_LEVEL.test(first[1])) {
    host = first[1];
    rest = rest.slice(first[0].length);
  }
  // sudo's own log file (Defaults logfile=…): "Dec  3 10:00:01 : bob : 3 incorrect password attempts ; …", no host or tag;
  // with log_host, "… : bob : HOST=web1 : 3 incorrect …" (sudo's order; "HOST=web1 : bob : …" read as well)
  if (!host && SUDO_LOGFILE.test(rest)) {
    const named = /^: (?:HOST=(\S{1,255}) : (.{1,256}?) : |(.{1,256}?) : HOST=(\S{1,255}) : )/.exec(rest);
    if (named) return { time: time.ms, host: named[1] ?? named[4], program: "sudo", module: null, pid: null, message: `${named[2] ?? named[3]} : ${rest.slice(named[0].length)}` };
    return { time: time.ms, host: null, program: "sudo", module: null, pid: null, message: rest.slice(2) };
  }
  const level = /^(\S+)(?:\s+|$)/.exec(rest);
  if (level && FACILITY_LEVEL.test(level[1])) {
    rest = rest.slice(level[0].length);
    // Kiwi Syslog Server writes the level before the host ("2026-12-03 10:00:01\tLocal7.Info\t10.0.0.1\t…")
    const after = host === null ? /^(\S+)(?:\s+|$)/.exec(rest) : null;
    if (after && !after[1].endsWith(":") && !TAG.test(rest) && !GDM_TAG.test(rest)) {
      host = after[1];
      rest = rest.slice(after[0].length);
    }
  }
  const gdm = GDM_TAG.exec(rest);
  if (gdm) return { time: time.ms, host, program: gdm[1], module: null, pid: null, message: rest.slice(gdm[0].length) };
  const tag = TAG.exec(rest);
  if (!tag) {
    const proftpd = PROFTPD_SYSTEMLOG_TAG.exec(rest);
    if (proftpd) return { time: time.ms, host, program: proftpd[1], module: null, pid: proftpd[2], message: rest.slice(proftpd[0].length) };
    return { time: time.ms, host, program: null, module: null, pid: null, message: rest };
  }
  return { time: time.ms, host, program: tag[1], module: tag[2] ?? null, pid: tag[3] ?? null, message: rest.slice(tag[0].length) };
}

/**
 * A JSON record as its own line (null: not one of these, the caller says why):
 *   journalctl -o json   {"__REALTIME_TIMESTAMP":"1704103200123456","_HOSTNAME":"web-1","SYSLOG_IDENTIFIER":"sshd","_PID":"4242","MESSAGE":"Failed password for …"}
 *   NXLog's to_json()    {"EventTime":"2026-11-30 10:00:00","Hostname":"WEB-1","EventID":4625,…}   (the whole record is the message, read as Windows')
 * journald's time is microseconds since the epoch; NXLog's EventTime the Windows host's local time
 * (read in the configured zone) unless it carries an offset.
 */
function jsonEnvelope(text: string, ctx: ParseContext): Envelope | { reason: string } | null {
  if (!text.includes('"__REALTIME_TIMESTAMP"') && !(text.includes('"EventID"') && text.includes('"EventTime"'))) return null;
  const r = jsonObject(text);
  if (!r) return null;
  const str = (k: string) => textField(r, k);
  const realtime = str("__REALTIME_TIMESTAMP");
  if (realtime !== null) {
    if (!/^\d{10,17}$/.test(realtime)) return { reason: `timestamp: journald's __REALTIME_TIMESTAMP is not microseconds: ${quoted(realtime)}` };
    // journalctl writes MESSAGE as an array of bytes when it holds a control character (a colour
    // escape, a tab) or is not UTF-8: read as UTF-8, a bad sequence as U+FFFD
    const message = str("MESSAGE") ?? journaldBytes(r.MESSAGE);
    if (message === null) return { reason: "journald record: MESSAGE is not text or an array of bytes" };
    const pid = str("SYSLOG_PID") ?? str("_PID");
    return { time: Math.floor(Number(realtime) / 1000), host: str("_HOSTNAME"), program: str("SYSLOG_IDENTIFIER") ?? str("_COMM"), module: null, pid, message };
  }
  const shown = str("EventTime") ?? "";
  const t = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(shown);
  if (!t) return { reason: `timestamp: NXLog's EventTime is not a time: ${quoted(shown)}` };
  let time: TimeResult;
  if (t[8]) {
    const p = parseInstant(shown.replace(" ", "T"));
    time = p.ok ? p : { ok: false, reason: `timestamp: not a time: ${quoted(shown)}` };
  } else time = zonedInstant(Number(t[1]), Number(t[2]), Number(t[3]), Number(t[4]), Number(t[5]), Number(t[6]), fractionMs(t[7]), ctx.timeZone ?? "UTC", shown);
  if (!time.ok) return { reason: time.reason };
  return { time: time.ms, host: str("Hostname"), program: null, module: null, pid: null, message: text };
}

/** A journald field written as an array of bytes (journalctl -o json), as text; null if it is not one. */
function journaldBytes(value: unknown): string | null {
  if (!Array.isArray(value) || value.length === 0 || value.length > 65_536) return null;
  if (!value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return null;
  return Buffer.from(value as number[]).toString("utf8");
}

/** `1 TIMESTAMP HOST APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]`, after the PRI. */
function rfc5424(rest: string): Envelope | { reason: string } {
  const m = RFC5424.exec(rest);
  if (!m) return { reason: "RFC 5424: expected VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA" };
  const nil = (v: string) => (v === "-" ? null : v);
  if (m[1] === "-") return { reason: "timestamp: none (RFC 5424 nil value)" };
  const t = parseInstant(m[1]);
  if (!t.ok) return { reason: `timestamp: not a time: ${quoted(m[1])}` };
  let i = m[0].length;
  const sdStart = i;
  if (rest[i] === "-") i++;
  else if (rest[i] === "[") {
    // SD-ELEMENTs: [id k="v" …]…, where a value may hold \" \\ \] escapes
    while (rest[i] === "[") {
      let quotedValue = false;
      i++;
      for (; i < rest.length; i++) {
        const c = rest[i];
        if (quotedValue && c === "\\") i++;
        else if (c === '"') quotedValue = !quotedValue;
        else if (c === "]" && !quotedValue) break;
      }
      if (i >= rest.length) return { reason: "RFC 5424: structured data is not closed" };
      i++;
    }
  } else return { reason: "RFC 5424: structured data must be - or [id …]" };
  // rsyslog's %msg% keeps the blank that followed the tag of a message it received as RFC 3164, so
  // its RFC 5424 output has two blanks before the text ("… - -  Failed password …"): all are dropped
  let message = rest.slice(i).trimStart();
  if (message.charCodeAt(0) === 0xfeff) message = message.slice(1).trimStart();
  const app = nil(m[3]);
  // a relay that puts the RFC 3164 message whole after the header repeats the tag ("sshd[4242]: …");
  // one that sends no APP-NAME ("-") leaves the tag there alone: the program (and pid) are the tag's
  const tag = TAG.exec(message);
  let program = app;
  let pid = nil(m[4]);
  if (tag && !tag[2] && (tag[1] === app || (!app && tag[3] !== undefined))) {
    message = message.slice(tag[0].length);
    program = tag[1];
    pid ??= tag[3] ?? null;
  }
  return { time: t.ms, host: nil(m[2]), program, module: null, pid, message, msgid: nil(m[5]), structured: rest[sdStart] === "[" ? rest.slice(sdStart, i) : null };
}

/** What a zone is called at an instant (ICU's names, American and British: "EST", "CET", "GMT+9"). */
function zoneNames(ms: number, zone: string): string[] {
  let formats = ZONE_FORMATS.get(zone);
  if (!formats) {
    formats = ["en-US", "en-GB"].map((locale) => new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "short" }));
    if (ZONE_FORMATS.size < 64) ZONE_FORMATS.set(zone, formats);
  }
  return formats.map((f) => f.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "");
}
const ZONE_FORMATS = new Map<string, Intl.DateTimeFormat[]>();

/** The host a syslog line names (null: none, or not a syslog line). */
export function syslogHost(line: string, ctx: ParseContext): string | null {
  const prepared = prepareLine(line);
  if (!prepared.ok) return null;
  try {
    const env = envelope(prepared.line, ctx);
    return "reason" in env ? null : env.host;
  } catch {
    return null;
  }
}
