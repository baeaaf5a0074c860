import { canonicalIp } from "../../../lib/net/ip";
import type { FlowRecord, ParseOutcome } from "../types";
import { fingerprintOf } from "./common";

/**
 * Packet logs of host and edge firewalls, read off syslog: each line is one connection attempt
 * the firewall logged, handed to the port-scan rule as a flow (a source reaching many ports of one
 * host, or one port of many hosts) and counted as skipped, not stored, as Suricata's EVE `flow`
 * records are. Two forms:
 *
 * - netfilter's LOG / NFLOG text, as iptables, nftables (`log prefix`), UFW and firewalld write it
 *   through the kernel's log: `[UFW BLOCK] IN=eth0 OUT= MAC=… SRC=203.0.113.5 DST=10.0.0.1 LEN=44
 *   … PROTO=TCP SPT=45678 DPT=3389 … SYN URGP=0`. Read wherever the line has SRC=, DST= and PROTO=
 *   (tagged `kernel`, or by ulogd or a journald export under another tag).
 * - pfSense's and OPNsense's `filterlog` CSV: rule, sub-rule, anchor, tracker, interface, reason,
 *   action, direction, IP version, then for IPv4 tos, ecn, ttl, id, offset, flags, protocol id,
 *   protocol, length, source, destination; for IPv6 class, flow label, hop limit, protocol,
 *   protocol id, length, source, destination; then for TCP and UDP the source and destination
 *   ports (as pfSense's filter log format documents it).
 *
 * The flow's state is the firewall's verdict where the line gives one (block, pass, the UFW or
 * nftables prefix), its time the syslog header's; a re-sent line is the same flow (its key is the
 * line's fingerprint), so an upload sent twice counts each attempt once.
 */

/** What skips a firewall line: counted under this reason, its flow handed to the port-scan rule. */
export const FIREWALL_SKIP = "firewall packet log: not stored, fed to port-scan detection";

/** Protocols whose log lines carry ports (netfilter writes SPT/DPT for these). */
const PORTED = new Set(["TCP", "UDP", "UDPLITE", "SCTP", "DCCP"]);

/** netfilter's key=value fields: a token's key and value (a bare flag such as SYN has no value). */
const NETFILTER = /(?:^|\s)(SRC|DST|PROTO|DPT)=(\S*)/g;

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
  return flowOutcome("netfilter", fields.SRC, fields.DST, fields.PROTO, fields.DPT, verdictOf(prefix), time, line);
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
  return flowOutcome("filterlog", src, dst, proto, dport, action === "block" || action === "pass" ? action : null, time, line);
}

function flowOutcome(form: string, srcText: string, dstText: string, protoText: string, dportText: string | undefined, state: string | null, time: number, line: string): ParseOutcome {
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
  const flow: FlowRecord = { time, src_ip: src, dst_ip: dst, dst_port: dstPort, proto, state, key: fingerprintOf("syslog", line) };
  return { status: "skipped", reason: FIREWALL_SKIP, flow };
}
