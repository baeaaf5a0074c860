import { canonicalIp } from "../../../lib/net/ip";
import type { FlowRecord, ParseOutcome } from "../types";
import { fingerprintOf } from "./common";
import { ASA, FORTI_START, fortiFields } from "./syslog-devices";

/**
 * Packet logs of host and edge firewalls, read off syslog: each line that is a connection attempt
 * the firewall logged is handed to the port-scan rule as a flow (a source reaching many ports of
 * one host, or one port of many hosts) and counted as skipped, not stored, as Suricata's EVE `flow`
 * records are. The forms (syslog.ts reads each only under its own tag, or none):
 *
 * - netfilter's LOG / NFLOG text, as iptables, nftables (`log prefix`), UFW and firewalld write it
 *   through the kernel's log: `[UFW BLOCK] IN=eth0 OUT= MAC=… SRC=203.0.113.5 DST=10.0.0.1 LEN=44
 *   … PROTO=TCP SPT=45678 DPT=3389 … SYN URGP=0` (tagged `kernel` or `ulogd`, or untagged).
 * - pfSense's and OPNsense's `filterlog` CSV: rule, sub-rule, anchor, tracker, interface, reason,
 *   action, direction, IP version, then for IPv4 tos, ecn, ttl, id, offset, flags, protocol id,
 *   protocol, length, source, destination; for IPv6 class, flow label, hop limit, protocol,
 *   protocol id, length, source, destination; then for TCP and UDP the source and destination
 *   ports, data length and TCP flags (as pfSense's filter log format documents it).
 * - the denials of network firewalls: Cisco ASA/FTD message ids, FortiGate traffic lines, Juniper
 *   SRX RT_FLOW_SESSION_DENY, Palo Alto PAN-OS TRAFFIC, Check Point Log Exporter, MikroTik
 *   RouterOS firewall topics.
 *
 * The flow's state is the firewall's verdict where the line gives one (block, pass, the UFW or
 * nftables prefix), its time the syslog header's; a re-sent line is the same flow (its key is the
 * line's fingerprint), so an upload sent twice counts each attempt once. A packet that is no
 * attempt (a late reply, a connection under way) feeds nothing (`flowOutcome`).
 */

/** What skips a firewall line: counted under this reason, its flow handed to the port-scan rule. */
export const FIREWALL_SKIP = "firewall packet log: not stored, fed to port-scan detection";

/** Protocols whose log lines carry ports (netfilter writes SPT/DPT for these). */
const PORTED = new Set(["TCP", "UDP", "UDPLITE", "SCTP", "DCCP"]);

/** netfilter's key=value fields: a token's key and value (a bare flag such as SYN has no value). */
const NETFILTER = /(?:^|\s)(SRC|DST|PROTO|SPT|DPT)=(\S*)/g;

/**
 * A netfilter packet log line as a flow: skipped with the flow, rejected when its addresses or
 * port cannot be read, null when the text is not such a line.
 */
export function netfilterFlow(text: string, time: number, line: string): ParseOutcome | null {
  if (!text.includes("SRC=") || !text.includes("DST=") || !text.includes("PROTO=")) return null;
  const fields: Record<string, string> = {};
  for (const m of text.matchAll(NETFILTER)) fields[m[1]] ??= m[2];
  if (fields.SRC === undefined || fields.DST === undefined || fields.PROTO === undefined) return null;
  const prefix = /^(?:\[\s*\d+\.\d+\]\s*)?(.*?)\s*\bIN=/.exec(text)?.[1]?.trim() ?? "";
  // TCP's flags are bare words after the ports (SYN, ACK, RST …): a packet with ACK or RST belongs
  // to a connection under way (or answers one); SYN, and the scanners' FIN, NULL and Xmas probes, do not
  const tcp = fields.PROTO.toUpperCase() === "TCP";
  const attempt = tcp ? !/\s(?:ACK|RST)(?=\s|$)/.test(text) : null;
  return flowOutcome("netfilter", fields.SRC, fields.DST, fields.PROTO, fields.DPT, verdictOf(prefix), time, line, { sport: fields.SPT, attempt });
}

/** The verdict a netfilter log prefix names (UFW's `[UFW BLOCK]`, firewalld's `FINAL_REJECT:`, a rule's own prefix), lower-case. */
function verdictOf(prefix: string): string | null {
  const words = prefix.toUpperCase().replace(/[_:\-\[\]]/g, " ");
  if (/\b(?:BLOCK|DROP|DROPPED|DENY|DENIED|REJECT|REJECTED)\b/.test(words)) return "block";
  if (/\b(?:ALLOW|ALLOWED|ACCEPT|ACCEPTED|PASS)\b/.test(words)) return "pass";
  return null;
}

/** A pfSense/OPNsense `filterlog` line's CSV as a flow (skipped with it), or rejected with what is wrong. */
export function filterlogFlow(text: string, time: number, line: string): ParseOutcome {
  const f = text.trim().split(",");
  if (f.length < 9) return { status: "rejected", reason: `filterlog: ${f.length} fields, a packet line has at least 17` };
  const action = f[6].toLowerCase();
  const version = f[8];
  let proto: string;
  let src: string;
  let dst: string;
  let rest: number;
  if (version === "4") {
    if (f.length < 20) return { status: "rejected", reason: `filterlog: an IPv4 line with ${f.length} fields, at least 20 expected` };
    proto = f[16];
    src = f[18];
    dst = f[19];
    rest = 20;
  } else if (version === "6") {
    if (f.length < 17) return { status: "rejected", reason: `filterlog: an IPv6 line with ${f.length} fields, at least 17 expected` };
    proto = f[12];
    src = f[15];
    dst = f[16];
    rest = 17;
  } else {
    return { status: "rejected", reason: `filterlog: IP version ${JSON.stringify(version.slice(0, 8))}, expected 4 or 6` };
  }
  const upper = proto.toUpperCase();
  const dport = PORTED.has(upper) ? f[rest + 1] : undefined;
  if (PORTED.has(upper) && dport === undefined) return { status: "rejected", reason: `filterlog: a ${upper} line without its ports` };
  // TCP: source port, destination port, data length, then the flags ("S"; with "A" or "R" the
  // packet belongs to a connection under way, as netfilter's above)
  const flags = upper === "TCP" ? f[rest + 3] : undefined;
  return flowOutcome("filterlog", src, dst, proto, dport, action === "block" || action === "pass" ? action : null, time, line, {
    sport: PORTED.has(upper) ? f[rest] : undefined,
    attempt: flags === undefined ? null : !/[AR]/.test(flags),
  });
}

/** What skips a firewall line that is no connection attempt: counted under this reason, fed to nothing. */
export const FIREWALL_REPLY_SKIP = "firewall packet log: a reply or a packet of a connection under way (from a service port, or TCP with ACK or RST), not a connection attempt: not stored";

/**
 * The line's outcome: a flow for the port-scan rule, or, for a packet that is no connection
 * attempt, a skip that feeds nothing. A firewall logs the late replies of connections it no longer
 * tracks too (a resolver's answers from port 53 to a client's ephemeral ports, a web server's
 * ACKs): fed to the scan rule, one resolver would "scan" a client's ports. So a packet from a
 * service port (below 1024) to an ephemeral one (1024 and up), or a TCP packet with ACK or RST
 * (a connection under way, or an answer), is not fed (`attempt` false); SYN and the scanners'
 * FIN, NULL and Xmas probes are. A scanner that sends from port 53 or 80
 * to high ports to slip through a firewall (nmap -g) is missed here; the IDS's flows still see it.
 */
function flowOutcome(form: string, srcText: string, dstText: string, protoText: string, dportText: string | undefined, state: string | null, time: number, line: string, extra: { sport?: string; attempt?: boolean | null } = {}): ParseOutcome {
  const src = canonicalIp(srcText);
  if (!src) return { status: "rejected", reason: `${form}: source ${JSON.stringify(srcText.slice(0, 64))} is not an IP address` };
  const dst = canonicalIp(dstText);
  if (!dst) return { status: "rejected", reason: `${form}: destination ${JSON.stringify(dstText.slice(0, 64))} is not an IP address` };
  const proto = protoText.toUpperCase().slice(0, 16) || null;
  let dstPort: number | null = null;
  if (proto !== null && PORTED.has(proto) && dportText !== undefined && dportText !== "") {
    const n = Number(dportText);
    if (!/^\d{1,5}$/.test(dportText) || n > 65535) return { status: "rejected", reason: `${form}: destination port ${JSON.stringify(dportText.slice(0, 16))} is not a port number` };
    dstPort = n;
  }
  const srcPort = extra.sport !== undefined && /^\d{1,5}$/.test(extra.sport) ? Number(extra.sport) : null;
  if (extra.attempt === false || (dstPort !== null && srcPort !== null && srcPort < 1024 && dstPort >= 1024)) return { status: "skipped", reason: FIREWALL_REPLY_SKIP };
  const flow: FlowRecord = { time, src_ip: src, dst_ip: dst, dst_port: dstPort, proto, state, key: fingerprintOf("syslog", line) };
  return { status: "skipped", reason: FIREWALL_SKIP, flow };
}

const IP = String.raw`([0-9A-Fa-f:.]{2,45})`;
const PORT = String.raw`(\d{1,5})`;
/** an ASA interface name before ":" (never holding one itself) */
const IFACE = String.raw`[^:\s/]{1,64}`;
/**
 * The ASA's messages for a connection it denied, each with the groups of its protocol, source,
 * source port, destination and destination port (no ports for ICMP). Not read: 106015 ("Deny TCP (no connection)", stray
 * packets of closed connections to a client's ephemeral ports, which would look like a scan) and
 * 106021 (reverse-path check: spoofing, not scanning); 106100 only where it says "denied".
 */
const ASA_DENIES: Record<string, { re: RegExp; groups: [number, number, number | null, number, number | null] }> = {
  // Inbound TCP connection denied from 203.0.113.5/4444 to 10.0.0.5/22 flags SYN  on interface outside
  "106001": { re: new RegExp(String.raw`^Inbound (TCP|UDP) connection denied from ${IP}/${PORT} to ${IP}/${PORT}`), groups: [1, 2, 3, 4, 5] },
  // Deny inbound UDP from 203.0.113.5/4444 to 10.0.0.5/161 on interface outside
  "106006": { re: new RegExp(String.raw`^Deny inbound (\w{1,16}) from ${IP}/${PORT} to ${IP}/${PORT}`), groups: [1, 2, 3, 4, 5] },
  // Deny inbound icmp src outside:203.0.113.5 dst inside:10.0.0.5 (type 8, code 0)
  "106014": { re: new RegExp(String.raw`^Deny (?:inbound|outbound) (icmp6?) src ${IFACE}:${IP}(?:\([^)]{0,64}\))? dst ${IFACE}:${IP}`, "i"), groups: [1, 2, null, 3, null] },
  // Deny tcp src outside:203.0.113.5/4444 dst inside:10.0.0.5/22 by access-group "outside_in" [0x0, 0x0]
  "106023": { re: new RegExp(String.raw`^Deny (\w{1,16}) src ${IFACE}:${IP}(?:/${PORT})?(?:\([^)]{0,64}\))? dst ${IFACE}:${IP}(?:/${PORT})?`), groups: [1, 2, 3, 4, 5] },
  // access-list outside_in denied tcp outside/203.0.113.5(4444) -> inside/10.0.0.5(22) hit-cnt 1 first hit [0x1, 0x0]
  "106100": { re: new RegExp(String.raw`^access-list \S{1,128} denied (\w{1,16}) ${IFACE}/${IP}\(${PORT}\) -> ${IFACE}/${IP}\(${PORT}\)`), groups: [1, 2, 3, 4, 5] },
  // TCP access denied by ACL from 203.0.113.5/4444 to outside:10.0.0.1/22
  "710003": { re: new RegExp(String.raw`^(TCP|UDP) access denied by ACL from ${IP}/${PORT} to ${IFACE}:${IP}/${PORT}`), groups: [1, 2, 3, 4, 5] },
};

/** FortiGate's protocol numbers as names (others stay numbers). */
const IP_PROTOCOLS: Record<string, string> = { "1": "ICMP", "6": "TCP", "17": "UDP", "58": "ICMPV6", "132": "SCTP", "33": "DCCP" };
/** FortiGate traffic verdicts that are a denied connection. */
const FORTI_DENIED = new Set(["deny", "blocked", "block", "dropped"]);

/**
 * A network firewall's denied connection (Cisco ASA/FTD/PIX deny messages, a FortiGate traffic
 * log with a deny action) as a flow for the port-scan rule (skipped, not stored), rejected when its
 * addresses or port cannot be read, or null when the message is no such line.
 */
export function deviceDenyFlow(program: string | null, message: string, time: number, line: string): ParseOutcome | null {
  // every tagged syslog line comes here: only an ASA message id as the tag goes further
  if (program !== null && !/^:? ?%/.test(program)) return null;
  const asa = ASA.exec(program ? `${program}: ${message}` : message);
  if (asa) {
    const deny = ASA_DENIES[asa[1]];
    const m = deny?.re.exec(asa[2]);
    if (!m) return null;
    const [proto, src, sport, dst, dport] = deny.groups;
    return flowOutcome("asa", m[src], m[dst], m[proto], dport === null ? undefined : m[dport], "block", time, line, { sport: sport === null ? undefined : m[sport] });
  }
  if (program || !FORTI_START.test(message) || !/\btype="?traffic"?(?:\s|$)/.test(message)) return null;
  const f = fortiFields(message.trimEnd());
  if (!f || f.type !== "traffic" || !FORTI_DENIED.has((f.action ?? "").toLowerCase())) return null;
  if (!f.srcip || !f.dstip) return { status: "rejected", reason: "fortigate: a traffic line without srcip or dstip" };
  const proto = IP_PROTOCOLS[f.proto ?? ""] ?? (f.proto || "");
  return flowOutcome("fortigate", f.srcip, f.dstip, proto, f.dstport, "block", time, line, { sport: f.srcport });
}

/** Juniper SRX's denied session (RT_FLOW_SESSION_DENY, plain or after its RFC 5424 MSGID): addresses/ports, then the protocol id as `6(0)`. */
const JUNOS_DENY = new RegExp(String.raw`^(?:RT_FLOW: )?RT_FLOW_SESSION_DENY(?:_LS)?: session denied ${IP}/${PORT}->${IP}/${PORT}\b(?: \S{1,64}){0,3}? (\d{1,3})\(\d{1,5}\)`);

/**
 * A Juniper SRX denied session as a flow (skipped with it), null for anything else. `msgid` is the
 * RFC 5424 MSGID where Junos puts its event tag in structured-data mode. Created and closed sessions
 * (RT_FLOW_SESSION_CREATE/CLOSE) are not fed, as the ASA's permits are not.
 */
export function junosDenyFlow(text: string, msgid: string | null | undefined, time: number, line: string, structured: string | null = null): ParseOutcome | null {
  const denyId = msgid === "RT_FLOW_SESSION_DENY" || msgid === "RT_FLOW_SESSION_DENY_LS";
  // structured-data mode: the session's fields are the SD-PARAMs, the message may be empty
  if (denyId && structured) {
    const sd: Record<string, string> = {};
    for (const p of structured.matchAll(/\s([a-z-]{1,40})="((?:[^"\\\]]|\\.){0,256})"/g)) sd[p[1]] ??= p[2];
    if (sd["source-address"] !== undefined && sd["destination-address"] !== undefined) {
      const proto = IP_PROTOCOLS[sd["protocol-id"] ?? ""] ?? (sd["protocol-id"] ?? "");
      return flowOutcome("junos", sd["source-address"], sd["destination-address"], proto, PORTED.has(proto) ? sd["destination-port"] : undefined, "block", time, line, { sport: sd["source-port"] });
    }
  }
  const body = denyId ? `${msgid}: ${text}` : text;
  if (!body.includes("RT_FLOW_SESSION_DENY")) return null;
  const m = JUNOS_DENY.exec(body);
  if (!m) return null;
  const proto = IP_PROTOCOLS[m[5]] ?? m[5];
  return flowOutcome("junos", m[1], m[3], proto, PORTED.has(proto) ? m[4] : undefined, "block", time, line, { sport: m[2] });
}

/** a MikroTik address with its port: `203.0.113.5:4444`, `[2001:db8::5]:4444`; or bare (ICMP) */
const MT_END = String.raw`(?:\[([0-9A-Fa-f:.]{2,45})\]|([0-9A-Fa-f:.]{2,45}?))(?::(\d{1,5}))?`;
/** RouterOS's firewall log: `[prefix ]chain: in:IFACE out:IFACE, …, proto TCP (SYN), SRC:PORT->DST:PORT, …` */
const MIKROTIK = new RegExp(String.raw`^(?:([^:]{0,64}?) ?)?(?:input|forward|output|prerouting|postrouting|[\w-]{1,32}): in:\S{1,64} out:[^,]{1,64},.{0,400}? proto (\w{1,16})(?: \(([^)]{0,64})\))?, ${MT_END}->${MT_END}, `);

/**
 * A MikroTik RouterOS firewall log line (a rule with log=yes) as a flow, null for anything else.
 * The verdict is read from the rule's log prefix where it names one (RouterOS writes no action).
 */
export function mikrotikFlow(text: string, time: number, line: string): ParseOutcome | null {
  if (!text.includes(" in:") && !text.startsWith("in:")) return null;
  const m = MIKROTIK.exec(text.replace(/^firewall,\w+ /, ""));
  if (!m) return null;
  const [, prefix, proto, flags, src6, src4, sport, dst6, dst4, dport] = m;
  // TCP's flags in brackets after the protocol: "(SYN)" an attempt, "(ACK,PSH)" or "(RST)" not
  const attempt = proto.toUpperCase() === "TCP" && flags !== undefined ? !/\b(?:ACK|RST)\b/.test(flags) : null;
  return flowOutcome("mikrotik", src6 ?? src4, dst6 ?? dst4, proto, dport, verdictOf(prefix ?? ""), time, line, { sport, attempt });
}

/** A PAN-OS syslog CSV line's fields (quoted fields may hold commas, `""` a quote), at most `max`. */
function csvFields(text: string, max: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= text.length && out.length < max) {
    if (text[i] === '"') {
      let value = "";
      i++;
      while (i < text.length) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      out.push(value);
      i++; // the comma after the closing quote
    } else {
      const end = text.indexOf(",", i);
      out.push(end < 0 ? text.slice(i) : text.slice(i, end));
      if (end < 0) break;
      i = end + 1;
    }
  }
  return out;
}

/** PAN-OS TRAFFIC actions that are a denied connection (allow is not fed). */
const PANOS_DENIED = new Set(["deny", "drop", "drop-icmp", "reset-client", "reset-server", "reset-both", "block"]);
/** A PAN-OS log line: FUTURE_USE, receive time, serial, type, … (its syslog form starts with the CSV, no program tag). */
const PANOS_START = /^\d{1,3},\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2},[^,]{0,64},TRAFFIC,/;

/**
 * A Palo Alto PAN-OS TRAFFIC log line whose action denied the session, as a flow: fields as PAN-OS
 * documents them (7 source, 8 destination, 25 destination port, 29 protocol, 30 action); null for
 * any other line (an allowed session, a THREAT log), rejected when too short.
 */
export function panosFlow(message: string, time: number, line: string): ParseOutcome | null {
  if (!PANOS_START.test(message)) return null;
  const f = csvFields(message, 32);
  if (f.length < 31) return { status: "rejected", reason: `pan-os traffic: ${f.length} fields, at least 31 expected` };
  if (!PANOS_DENIED.has(f[30].toLowerCase())) return null;
  const proto = f[29].toUpperCase();
  return flowOutcome("pan-os", f[7], f[8], proto, PORTED.has(proto) ? f[25] : undefined, "block", time, line, { sport: f[24] });
}

/** Check Point Log Exporter's `key:"value";` fields (syslog format), the first of each key. */
const CHECKPOINT_FIELD = /(?:^|[\s;[])([a-z_]{1,32}):"((?:[^"\\]|\\.){0,256})"/g;
/** Check Point actions that are a denied connection. */
const CHECKPOINT_DENIED = new Set(["drop", "reject", "block"]);

/**
 * A Check Point firewall log (Log Exporter's syslog form: `[action:"Drop"; … src:"…"; dst:"…";
 * proto:"6"; service:"22"; …]`) whose action denied the connection, as a flow; null otherwise.
 */
export function checkpointFlow(text: string, time: number, line: string): ParseOutcome | null {
  if (!text.includes('action:"') || !text.includes('src:"') || !text.includes('dst:"')) return null;
  const f: Record<string, string> = {};
  for (const m of text.matchAll(CHECKPOINT_FIELD)) f[m[1]] ??= m[2];
  if (!f.action || !CHECKPOINT_DENIED.has(f.action.toLowerCase()) || f.src === undefined || f.dst === undefined) return null;
  const proto = IP_PROTOCOLS[f.proto ?? ""] ?? (f.proto ?? "").toUpperCase();
  return flowOutcome("checkpoint", f.src, f.dst, proto, PORTED.has(proto) ? f.service : undefined, "block", time, line, { sport: f.s_port });
}
