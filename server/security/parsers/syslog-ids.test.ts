import { describe, expect, it } from "vitest";
import type { ParseOutcome, ParsedEvent } from "../types";
import { parseEveLine } from "./eve";
import { parseFastLine } from "./fast";
import { parseSyslogLine } from "./syslog";

// IDS alerts forwarded over syslog: Snort's alert_syslog (Snort 2 and 3, pfSense's Snort package),
// Suricata's alert-syslog output (pfSense's and OPNsense's "send alerts to syslog") and Suricata's
// EVE JSON written to syslog (eve-log filetype: syslog; OPNsense's "eve syslog output"). Lines
// written for Vigil after the forms of public samples, with documentation-range addresses.

const ctx = { now: Date.UTC(2026, 11, 1) };

function event(o: ParseOutcome): ParsedEvent {
  if (o.status !== "event") throw new Error(`expected an event, got ${o.status}: ${o.reason}`);
  return o.event;
}
const parse = (line: string) => event(parseSyslogLine(line, ctx));
const reason = (o: ParseOutcome) => (o.status === "event" ? "(event)" : o.reason);

describe("parseSyslogLine: Suricata's alert-syslog output", () => {
  it("reads an OPNsense/pfSense alert as fast.log's: an ids_alert of the syslog stamp, with what the IPS did", () => {
    const e = parse("Oct 11 15:08:06 fw1.example.net suricata[46424]: [Drop] [1:2001219:20] ET SCAN Potential SSH Scan [Classification: Attempted Information Leak] [Priority: 2] {TCP} 203.0.113.142:52566 -> 192.0.2.25:22");
    expect(e).toMatchObject({
      time: Date.UTC(2026, 9, 11, 15, 8, 6),
      kind: "ids_alert",
      severity: "medium",
      service: "suricata",
      src_ip: "203.0.113.142",
      src_port: 52566,
      dst_ip: "192.0.2.25",
      dst_port: 22,
      proto: "TCP",
      signature: "ET SCAN Potential SSH Scan",
      message: "ET SCAN Potential SSH Scan [Attempted Information Leak]",
    });
    expect(e.attributes).toMatchObject({ sid: 2001219, gid: 1, rev: 20, category: "Attempted Information Leak", priority: 2, action: "blocked", host: "fw1.example.net", program: "suricata", pid: "46424" });
    expect(e.fingerprint).toMatch(/^syslog:[0-9a-f]{32}$/);
  });

  it("gives the same fields as the fast.log line of the same alert", () => {
    const body = "[1:2100498:7] GPL ATTACK_RESPONSE id check returned root [Classification: Potentially Bad Traffic] [Priority: 2] {TCP} 198.51.100.80:80 -> 192.0.2.20:41618";
    const viaSyslog = parse(`<45>Mar  2 18:40:12 sensor1 suricata[812]: ${body}`);
    const viaFast = event(parseFastLine("03/02/2026-18:40:12.000000  [**] [1:2100498:7] GPL ATTACK_RESPONSE id check returned root [**] [Classification: Potentially Bad Traffic] [Priority: 2] {TCP} 198.51.100.80:80 -> 192.0.2.20:41618", ctx));
    const pick = (e: ParsedEvent) => [e.time, e.kind, e.severity, e.service, e.src_ip, e.src_port, e.dst_ip, e.dst_port, e.proto, e.signature, e.message, e.attributes?.sid, e.attributes?.category];
    expect(pick(viaSyslog)).toEqual(pick(viaFast));
    // pfSense 2.5+ and OPNsense can send RFC 5424: the same alert, the same fields
    const via5424 = parse(`<45>1 2026-03-02T18:40:12Z sensor1 suricata 812 - - ${body}`);
    expect(pick(via5424)).toEqual(pick(viaFast));
  });

  it("reads [wDrop], an IPv6 address with the port appended, and ICMP's type and code", () => {
    const w = parse("Mar  2 18:40:12 sensor1 suricata[812]: [wDrop] [1:2210045:2] ET POLICY x [Classification: Misc activity] [Priority: 3] {TCP} 2001:db8::5:44321 -> 2001:db8::1:443");
    expect([w.src_ip, w.src_port, w.dst_ip, w.dst_port, w.attributes?.action]).toEqual(["2001:db8::5", 44321, "2001:db8::1", 443, "would_block"]);
    const icmp = parse("Mar  2 18:40:12 sensor1 suricata[812]: [1:2100366:8] GPL ICMP_INFO PING *NIX [Classification: Misc activity] [Priority: 3] {ICMP} 192.0.2.200:8 -> 198.51.100.2:0");
    expect([icmp.src_ip, icmp.src_port, icmp.dst_port, icmp.attributes?.icmp_type, icmp.attributes?.icmp_code]).toEqual(["192.0.2.200", null, null, 8, 0]);
  });

  it("reads a decoder event without addresses (its raw packet in hex after [**]) as an ids_anomaly", () => {
    const e = parse("Mar  2 18:40:12 sensor1 suricata[812]: [1:2200003:1] SURICATA IPv4 truncated packet [Classification: Generic Protocol Command Decode] [Priority: 3] [**] [Raw pkt: 00 1B 21 3A 4C 5D 00 1B 21 3A 4C 5E 08 00 45 00 ] [pcap file packet: 42]");
    expect(e).toMatchObject({ kind: "ids_anomaly", severity: "low", signature: "SURICATA IPv4 truncated packet", src_ip: null, dst_ip: null, proto: null });
  });

  it("counts rsyslog's 'message repeated N times' of an alert N times", () => {
    const e = parse("Mar  2 18:40:12 sensor1 suricata[812]: message repeated 3 times: [ [1:2100366:8] GPL ICMP_INFO PING *NIX [Classification: Misc activity] [Priority: 3] {ICMP} 192.0.2.200:8 -> 198.51.100.2:0]");
    expect([e.signature, e.occurrences]).toEqual(["GPL ICMP_INFO PING *NIX", 3]);
  });
});

describe("parseSyslogLine: Snort's alert_syslog output", () => {
  it("reads pfSense's Snort line, which has no host, a preprocessor alert among them", () => {
    const e = parse("<190>Jul 23 18:12:00 snort[87537]: [136:1:1] (spp_reputation) packets blacklisted [Classification: Potentially Bad Traffic] [Priority: 2] {TCP} 203.0.113.1:16856 -> 198.51.100.128:2222");
    expect(e).toMatchObject({ time: Date.UTC(2026, 6, 23, 18, 12), kind: "ids_alert", severity: "medium", service: "snort", src_ip: "203.0.113.1", src_port: 16856, dst_ip: "198.51.100.128", dst_port: 2222, signature: "(spp_reputation) packets blacklisted" });
    expect(e.attributes).toMatchObject({ gid: 136, sid: 1, rev: 1, category: "Potentially Bad Traffic", program: "snort", pid: "87537" });
    expect(e.attributes?.host).toBeUndefined();
  });

  it("makes Snort's decoder and normaliser generators ids_anomaly, as in fast.log", () => {
    const e = parse("<190>Jul 23 18:12:00 snort[87537]: [119:4:1] (http_inspect) BARE BYTE UNICODE ENCODING [Classification: Not Suspicious Traffic] [Priority: 3] {TCP} 203.0.113.0:63651 -> 198.51.100.128:8080");
    expect([e.kind, e.severity]).toEqual(["ids_anomaly", "low"]);
  });

  it("reads a line without classification or priority (Snort leaves out priority 0) as medium, ICMP without ports", () => {
    const e = parse("Jan 24 05:25:05 pi01 snort: [1:3000001:0] ICMP traffic! {ICMP} 192.0.2.44 -> 192.0.2.38");
    expect(e).toMatchObject({ kind: "ids_alert", severity: "medium", signature: "ICMP traffic!", src_ip: "192.0.2.44", src_port: null, dst_ip: "192.0.2.38", proto: "ICMP" });
    expect(e.attributes).toMatchObject({ category: null, priority: null, host: "pi01" });
  });

  it("reads older Snort's colon after the priority and the interface of -I", () => {
    const e = parse("Mar  2 18:40:12 ids snort[3]: [1:469:3] ICMP PING NMAP [Classification: Attempted Information Leak] [Priority: 2]: <eth0> {ICMP} 192.0.2.26 -> 198.51.100.231");
    expect(e).toMatchObject({ signature: "ICMP PING NMAP", severity: "medium", src_ip: "192.0.2.26", dst_ip: "198.51.100.231", proto: "ICMP" });
    expect(e.attributes).toMatchObject({ category: "Attempted Information Leak", priority: 2, interface: "eth0" });
  });

  it("reads Snort 3's quoted message", () => {
    const e = parse('Mar  2 18:40:12 ids snort[3]: [1:1000001:1] "FTP USER command detected" [Priority: 1] {TCP} 192.0.2.114:1137 -> 198.51.100.193:21');
    expect([e.signature, e.severity, e.src_port, e.dst_port]).toEqual(["FTP USER command detected", "high", 1137, 21]);
  });

  it("keeps brackets that belong to the message", () => {
    const e = parse("Mar  2 18:40:12 ids snort[3]: [1:10002:1] [LAB TEST] ICMP seen [x] [Classification: Misc activity] [Priority: 3] {ICMP} 192.0.2.1 -> 192.0.2.2");
    expect([e.signature, e.attributes?.category]).toEqual(["[LAB TEST] ICMP seen [x]", "Misc activity"]);
  });

  it("rejects an alert whose addresses are not addresses, naming the field", () => {
    expect(reason(parseSyslogLine("Mar  2 18:40:12 ids snort[3]: [1:1:1] x [Priority: 1] {TCP} 192.0.2.300:1 -> 192.0.2.2:2", ctx))).toBe('source: not an address: "192.0.2.300:1"');
  });

  it("reads the alert form only under snort and suricata: other programs' lines and their other lines are skipped", () => {
    expect(parse("Mar  2 18:40:12 ids snort[3]: [1:1:1] x [Priority: 1] {TCP} 192.0.2.1:1 -> 192.0.2.2:2").signature).toBe("x");
    expect(parseSyslogLine("Mar  2 18:40:12 ids snort[3]: Commencing packet processing (pid=3)", ctx)).toEqual({ status: "skipped", reason: "not security-relevant: snort" });
    expect(parseSyslogLine("Mar  2 18:40:12 ids suricata[4]: [100273] <Notice> -- all 4 packet processing threads, 4 management threads initialized, engine started.", ctx).status).toBe("skipped");
    expect(parseSyslogLine("Mar  2 18:40:12 ids logger: [1:1:1] x [Priority: 1] {TCP} 192.0.2.1:1 -> 192.0.2.2:2", ctx)).toEqual({ status: "skipped", reason: "not security-relevant: logger" });
  });
});

describe("parseSyslogLine: Suricata's EVE JSON written to syslog", () => {
  const record = '{"timestamp":"2026-08-07T17:34:53.994402+0200","flow_id":1305922850597986,"in_iface":"igb2","event_type":"alert","src_ip":"203.0.113.4","src_port":46705,"dest_ip":"192.0.2.1","dest_port":1433,"proto":"TCP","alert":{"action":"blocked","gid":1,"signature_id":2010935,"rev":3,"signature":"ET SCAN Suspicious inbound to MSSQL port 1433","category":"Potentially Bad Traffic","severity":2}}';

  it("reads OPNsense's RFC 5424 form as the EVE record: its own time, and the fingerprint of the record, so it is stored once by either route", () => {
    const e = parse(`<165>1 2026-08-07T17:34:53+02:00 fw01.example.net suricata 72834 - [meta sequenceId="53726"] ${record}`);
    const direct = event(parseEveLine(record, ctx));
    expect(e).toMatchObject({ time: Date.UTC(2026, 7, 7, 15, 34, 53, 994), kind: "ids_alert", service: "suricata", src_ip: "203.0.113.4", src_port: 46705, dst_port: 1433, signature: "ET SCAN Suspicious inbound to MSSQL port 1433", severity: "medium" });
    expect(e.attributes).toMatchObject({ sid: 2010935, action: "blocked", host: "fw01.example.net" });
    expect(e.fingerprint).toBe(direct.fingerprint);
  });

  it("skips a context record with EVE's reason, and hands a flow over", () => {
    expect(parseSyslogLine('<13>Feb 26 10:36:34 pfSense suricata: {"timestamp":"2026-02-26T10:36:34.123869-0500","event_type":"dns","src_ip":"192.0.2.163","dest_ip":"192.0.2.1","dns":{"type":"query"}}', ctx)).toEqual({ status: "skipped", reason: "eve dns: context, not stored" });
    const flow = parseSyslogLine('<13>Feb 26 10:36:34 pfSense suricata: {"timestamp":"2026-02-26T10:36:34.123869-0500","flow_id":7,"event_type":"flow","src_ip":"192.0.2.163","dest_ip":"192.0.2.1","dest_port":22,"proto":"TCP","flow":{"start":"2026-02-26T10:36:30.000000-0500","state":"new"}}', ctx);
    expect(flow.status === "skipped" && flow.flow).toMatchObject({ src_ip: "192.0.2.163", dst_ip: "192.0.2.1", dst_port: 22 });
  });

  it("rejects a record that is not EVE with EVE's reason", () => {
    expect(reason(parseSyslogLine('<13>Feb 26 10:36:34 pfSense suricata: {"timestamp":"2026-02-26T10:36:34Z","event_type":"alert","src_ip":"192.0.2.300","alert":{"signature":"x"}}', ctx))).toBe('src_ip: not an IP address: "192.0.2.300"');
  });
});

describe("parseSyslogLine: Snort 3's alert_json written to syslog", () => {
  const record = '{ "timestamp" : "11/30-10:00:00.123456", "pkt_num" : 1542, "proto" : "TCP", "pkt_gen" : "stream_tcp", "pkt_len" : 97, "dir" : "C2S", "src_ap" : "203.0.113.7:50284", "dst_ap" : "192.0.2.10:80", "rule" : "1:2010935:3", "action" : "would_drop", "msg" : "LOCAL test alert", "class" : "none", "priority" : 2 }';

  it("reads the record as /ingest/fast reads it: its own time, the fingerprint of the record, the syslog host", () => {
    const e = parse(`<38>Dec  1 10:00:05 ids-1.example.net snort[4242]: ${record}`);
    const direct = event(parseFastLine(record, ctx));
    expect(e).toMatchObject({ time: direct.time, kind: "ids_alert", service: "snort", src_ip: "203.0.113.7", src_port: 50284, dst_ip: "192.0.2.10", dst_port: 80, signature: "LOCAL test alert" });
    expect(e.time).toBe(Date.UTC(2026, 10, 30, 10, 0, 0, 123));
    expect(e.attributes).toMatchObject({ sid: 2010935, gid: 1, rev: 3, host: "ids-1.example.net" });
    expect(e.fingerprint).toBe(direct.fingerprint);
    expect({ ...e, attributes: { ...e.attributes, host: undefined } }).toEqual({ ...direct, attributes: { ...direct.attributes, host: undefined } });
  });

  it("reads a record by what it is, not by the tag it came under: EVE under snort, alert_json under suricata", () => {
    const eve = '{"timestamp":"2026-11-30T10:00:00.000000+0000","event_type":"alert","src_ip":"203.0.113.4","src_port":46705,"dest_ip":"192.0.2.1","dest_port":1433,"proto":"TCP","alert":{"gid":1,"signature_id":2010935,"rev":3,"signature":"ET SCAN MSSQL","severity":2}}';
    expect(parse(`Dec  1 10:00:05 ids-1 snort: ${eve}`)).toMatchObject({ service: "suricata", signature: "ET SCAN MSSQL", fingerprint: event(parseEveLine(eve, ctx)).fingerprint });
    expect(parse(`Dec  1 10:00:05 ids-1 suricata: ${record}`)).toMatchObject({ service: "snort", signature: "LOCAL test alert", fingerprint: event(parseFastLine(record, ctx)).fingerprint });
  });

  it("counts rsyslog's 'message repeated N times' of a record N times, and rejects a record that is not alert_json with its reason", () => {
    expect(parse(`Dec  1 10:00:05 ids-1 snort: message repeated 3 times: [ ${record}]`).occurrences).toBe(3);
    expect(reason(parseSyslogLine('Dec  1 10:00:05 ids-1 snort: { "pkt_num" : 1 }', ctx))).toBe(reason(parseFastLine('{ "pkt_num" : 1 }', ctx)));
  });
});
