import { describe, expect, it } from "vitest";
import type { ParseOutcome, ParsedEvent } from "../types";
import { parseFastLine } from "./fast";

const ctx = { now: Date.UTC(2026, 11, 1) };

function event(o: ParseOutcome): ParsedEvent {
  if (o.status !== "event") throw new Error(`expected an event, got ${o.status}: ${o.reason}`);
  return o.event;
}
const reason = (o: ParseOutcome) => (o.status === "event" ? "(event)" : o.reason);

describe("parseFastLine: variants", () => {
  it("reads a Snort 3 line: no year, quoted message, classification and priority, IPv4 with ports", () => {
    const e = event(parseFastLine('01/02-11:30:23.358639 [**] [1:648:18] "INDICATOR-SHELLCODE x86 NOOP" [**] [Classification: Executable code was detected] [Priority: 1] {TCP} 10.6.6.254:80 -> 10.6.6.103:60884', ctx));
    expect(e).toMatchObject({
      time: Date.UTC(2026, 0, 2, 11, 30, 23, 358),
      kind: "ids_alert",
      severity: "high",
      service: "snort",
      src_ip: "10.6.6.254",
      src_port: 80,
      dst_ip: "10.6.6.103",
      dst_port: 60884,
      proto: "TCP",
      signature: "INDICATOR-SHELLCODE x86 NOOP",
      message: "INDICATOR-SHELLCODE x86 NOOP [Executable code was detected]",
    });
    expect(e.attributes).toMatchObject({ gid: 1, sid: 648, rev: 18, category: "Executable code was detected", priority: 1 });
    expect(e.fingerprint).toMatch(/^fast:[0-9a-f]{32}$/);
  });

  it("reads Suricata inline's [Drop] and [wDrop] prefixes as what it did to the packet", () => {
    const line = (verdict: string) => `11/05/2026-23:45:12.345678  ${verdict} [**] [1:2019401:2] ET POLICY x [**] [Classification: Misc activity] [Priority: 3] {TCP} 10.0.0.1:1234 -> 10.0.0.2:443`;
    expect(event(parseFastLine(line("[Drop]"), ctx))).toMatchObject({ signature: "ET POLICY x", src_ip: "10.0.0.1", attributes: { sid: 2019401, action: "blocked" } });
    expect(event(parseFastLine(line("[wDrop]"), ctx)).attributes).toMatchObject({ action: "would_block" });
    expect(event(parseFastLine(line(""), ctx)).attributes?.action).toBeUndefined();
  });

  it("reads Snort 2's [WDrop] and Snort 3's inline verdicts ([drop], [would_drop], [block], [reset] …) before the [**]", () => {
    const line = (verdict: string) => `06/08-10:00:00.000000 ${verdict} [**] [1:1000001:1] "LOCAL BLOCK path traversal" [**] [Priority: 1] {TCP} 192.0.2.30:44120 -> 198.51.100.20:80`;
    const action = (v: string) => event(parseFastLine(line(v), ctx)).attributes?.action;
    expect([action("[WDrop]"), action("[drop]"), action("[force_drop]"), action("[block]"), action("[reset]")]).toEqual(["would_block", "blocked", "blocked", "blocked", "blocked"]);
    expect([action("[would_drop]"), action("[would_block]"), action("[cant_drop]"), action("[would_reset]")]).toEqual(["would_block", "would_block", "would_block", "would_block"]);
    expect(event(parseFastLine(line("[drop]"), ctx))).toMatchObject({ signature: "LOCAL BLOCK path traversal", src_ip: "192.0.2.30", severity: "high" });
  });

  it("reads the interface Snort writes before the message with -I (alert_interface), not as part of it", () => {
    const e = event(parseFastLine('01/02-11:30:23.358639 [**] [1:648:18]  <eth1> "INDICATOR-SHELLCODE x86 NOOP" [**] [Classification: Executable code was detected] [Priority: 1] {TCP} 192.0.2.254:80 -> 198.51.100.103:60884', ctx));
    expect(e.signature).toBe("INDICATOR-SHELLCODE x86 NOOP");
    expect(e.attributes?.interface).toBe("eth1");
    // a message that itself starts with a tag, after the one blank Snort writes there, is the message
    const own = event(parseFastLine("01/02-11:30:23.358639 [**] [1:1:1] <script> in URI [**] [Priority: 1] {TCP} 192.0.2.254:80 -> 198.51.100.103:60884", ctx));
    expect([own.signature, own.attributes?.interface]).toEqual(["<script> in URI", undefined]);
  });

  it("reads a line without a classification", () => {
    const e = event(parseFastLine('12/28-12:55:38.765402 [**] [1:366:11] "PROTOCOL-ICMP PING Unix" [**] [Priority: 3] {ICMP} 10.0.0.1 -> 10.0.0.2', ctx));
    expect(e.severity).toBe("low");
    expect(e.attributes?.category).toBeNull();
  });

  it("gives a line without a priority medium severity", () => {
    const e = event(parseFastLine('12/28-12:55:38.885027 [**] [1:408:8] "PROTOCOL-ICMP Echo Reply" [**] [Classification: Misc activity] {ICMP} 10.0.0.2 -> 10.0.0.1', ctx));
    expect(e.severity).toBe("medium");
    expect(e.attributes?.priority).toBeNull();
  });

  it("maps priority 1, 2, 3 and others to high, medium, low and info", () => {
    const sev = (p: number) => event(parseFastLine(`01/01-00:00:00.000000 [**] [1:1:1] "x" [**] [Priority: ${p}] {TCP} 10.0.0.1:1 -> 10.0.0.2:2`, ctx)).severity;
    expect([sev(1), sev(2), sev(3), sev(4), sev(5)]).toEqual(["high", "medium", "low", "info", "info"]);
  });

  it("reads Snort's [Priority: 0] as no priority (a rule without classtype or priority): medium, as when absent", () => {
    // Snort 2 and 3 print the priority of a local rule without classtype as 0 (their syslog output leaves it out)
    const snort3 = event(parseFastLine('12/16-13:24:40.504807 [**] [1:1000001:1] "FTP USER command detected" [**] [Priority: 0] {TCP} 192.0.2.114:1137 -> 198.51.100.193:21', ctx));
    expect([snort3.severity, snort3.attributes?.priority]).toEqual(["medium", null]);
    const snort2 = event(parseFastLine("05/30-19:09:10.917356  [**] [1:477:3] ICMP Packet [**] [Priority: 0] {ICMP} 192.0.2.245 -> 198.51.100.153", ctx));
    expect(snort2.severity).toBe("medium");
  });

  it("reads Suricata's ICMP type and code after the addresses as type and code, not ports", () => {
    const e = event(parseFastLine("09/14/2026-16:11:08.050136  [Drop] [**] [1:2:1] ICMP Detected and Blocked [**] [Classification: (null)] [Priority: 3] {ICMP} 192.0.2.27:8 -> 198.51.100.1:0", ctx));
    expect([e.src_ip, e.src_port, e.dst_ip, e.dst_port]).toEqual(["192.0.2.27", null, "198.51.100.1", null]);
    expect(e.attributes).toMatchObject({ icmp_type: 8, icmp_code: 0, action: "blocked" });
    // over IPv6 the type and code are appended the same way: Suricata always writes them
    const v6 = event(parseFastLine("09/14/2026-16:11:08.050136  [**] [1:2:1] ICMPv6 echo [**] [Classification: Misc activity] [Priority: 3] {IPV6-ICMP} 2001:db8::1:128 -> 2001:db8::2:0", ctx));
    expect([v6.src_ip, v6.src_port, v6.dst_ip, v6.dst_port, v6.attributes?.icmp_type, v6.attributes?.icmp_code]).toEqual(["2001:db8::1", null, "2001:db8::2", null, 128, 0]);
  });

  it("reads ICMP over IPv6 written in full with no port", () => {
    const e = event(parseFastLine('12/28-12:55:38.765402 [**] [1:366:11] "PROTOCOL-ICMP PING Unix" [**] [Priority: 3] {ICMP} 2001:df1:c200:c:0:0:0:35 -> 2001:4860:4860:0:0:0:0:8888', ctx));
    expect([e.src_ip, e.src_port, e.dst_ip, e.dst_port]).toEqual(["2001:df1:c200:c::35", null, "2001:4860:4860::8888", null]);
  });

  it("splits the port off an IPv6 address written without brackets", () => {
    const e = event(parseFastLine('02/04-23:41:31.115933 [**] [1:20035:1000] "MALWARE-CNC outbound connection" [**] [Classification: Attempted Information Leak] [Priority: 1] {TCP} 2001:df1:c200:c:0:0:0:35:60884 -> 2001:4860:4860:0:0:0:0:8888:80', ctx));
    expect([e.src_ip, e.src_port, e.dst_ip, e.dst_port]).toEqual(["2001:df1:c200:c::35", 60884, "2001:4860:4860::8888", 80]);
  });

  it("reads a compressed IPv6 with an appended port by the protocol: TCP has ports, ICMP not", () => {
    const tcp = event(parseFastLine('01/01-00:00:00.0 [**] [1:1:1] "x" [**] {TCP} 2001:db8::1:443 -> 2001:db8::2:5555', ctx));
    expect([tcp.src_ip, tcp.src_port]).toEqual(["2001:db8::1", 443]);
    const icmp = event(parseFastLine('01/01-00:00:00.0 [**] [1:1:1] "x" [**] {IPV6-ICMP} 2001:db8::1:443 -> 2001:db8::2', ctx));
    expect([icmp.src_ip, icmp.src_port]).toEqual(["2001:db8::1:443", null]);
  });

  it("reads a bracketed IPv6 address with its port", () => {
    const e = event(parseFastLine('01/01-00:00:00.0 [**] [1:1:1] "x" [**] {UDP} [2001:db8::1]:53 -> [2001:db8::2]:5353', ctx));
    expect([e.src_ip, e.src_port, e.dst_ip, e.dst_port]).toEqual(["2001:db8::1", 53, "2001:db8::2", 5353]);
  });

  it("reads a Suricata MM/DD/YY line with an unquoted message", () => {
    const e = event(parseFastLine("10/05/10-10:08:59.667372  [**] [1:2009187:4] ET WEB_CLIENT ACTIVEX iDefense COMRaider ActiveX Control Arbitrary File Deletion [**] [Classification: Web Application Attack] [Priority: 3] {TCP} 11.11.232.144:80 -> 192.168.1.4:56068", ctx));
    expect(e.time).toBe(Date.UTC(2010, 9, 5, 10, 8, 59, 667));
    expect(e.signature).toBe("ET WEB_CLIENT ACTIVEX iDefense COMRaider ActiveX Control Arbitrary File Deletion");
    expect(e.service).toBe("suricata");
  });

  it("reads a YY/MM/DD line when MM/DD/YY is not a date", () => {
    const e = event(parseFastLine("21/12/28-12:55:38.765402 [**] [1:366:11] PROTOCOL-ICMP PING Unix [**] [Priority: 3] {ICMP} 10.0.0.1 -> 10.0.0.2", ctx));
    expect(e.time).toBe(Date.UTC(2021, 11, 28, 12, 55, 38, 765));
  });

  it("reads Snort 3's -y stamp (its message quoted) as YY/MM/DD even where MM/DD/YY would be a date", () => {
    // Snort 3 writes year, month, day with -y (log/log.cc ts_print); Snort 2 month, day, year
    const snort3 = event(parseFastLine('12/11/10-09:00:00.000001 [**] [1:1000001:1] "PROTOCOL-ICMP PING" [**] [Priority: 3] {ICMP} 192.0.2.1 -> 192.0.2.2', ctx));
    expect(snort3.time).toBe(Date.UTC(2012, 10, 10, 9, 0, 0));
    const snort2 = event(parseFastLine("12/11/10-09:00:00.000001  [**] [1:1000001:1] PROTOCOL-ICMP PING [**] [Priority: 3] {ICMP} 192.0.2.1 -> 192.0.2.2", ctx));
    expect(snort2.time).toBe(Date.UTC(2010, 11, 11, 9, 0, 0));
  });

  it("reads a Suricata MM/DD/YYYY line", () => {
    expect(event(parseFastLine("11/30/2026-10:00:00.000001  [**] [1:2001219:20] ET SCAN Potential SSH Scan [**] [Classification: Attempted Information Leak] [Priority: 2] {TCP} 203.0.113.9:4242 -> 10.0.0.5:22", ctx)).time).toBe(Date.UTC(2026, 10, 30, 10));
  });

  it("gives a December line read on 1 January the previous year", () => {
    const jan1 = { now: Date.UTC(2027, 0, 1, 0, 10) };
    expect(event(parseFastLine('12/31-23:59:59.000000 [**] [1:1:1] "x" [**] {TCP} 10.0.0.1:1 -> 10.0.0.2:2', jan1)).time).toBe(Date.UTC(2026, 11, 31, 23, 59, 59));
  });

  it("reads a zone-less stamp in the configured zone", () => {
    const e = event(parseFastLine('07/01-12:00:00.000000 [**] [1:1:1] "x" [**] {TCP} 10.0.0.1:1 -> 10.0.0.2:2', { ...ctx, timeZone: "America/New_York" }));
    expect(e.time).toBe(Date.UTC(2026, 6, 1, 16));
  });

  it("makes Snort decoder and stream generators (116, 119, 129 …) ids_anomaly of at most low severity", () => {
    for (const gid of [116, 119, 120, 123, 129]) {
      const e = event(parseFastLine(`01/01-00:00:00.0 [**] [${gid}:1:1] "(stream_tcp) bad segment" [**] [Priority: 1] {TCP} 10.0.0.1:1 -> 10.0.0.2:2`, ctx));
      expect([gid, e.kind, e.severity]).toEqual([gid, "ids_anomaly", "low"]);
    }
  });

  it("makes SURICATA STREAM and decoder messages ids_anomaly", () => {
    const a = event(parseFastLine("11/30/2026-10:00:00.0  [**] [1:2210045:2] SURICATA STREAM Packet with invalid ack [**] [Classification: Generic Protocol Command Decode] [Priority: 3] {TCP} 10.0.0.1:1 -> 10.0.0.2:2", ctx));
    expect(a.kind).toBe("ids_anomaly");
    const b = event(parseFastLine("11/30/2026-10:00:00.0  [**] [1:2200074:2] SURICATA TCPv4 invalid checksum [**] [Classification: (null)] [Priority: 3] {TCP} 10.0.0.1:1 -> 10.0.0.2:2", ctx));
    expect(b.kind).toBe("ids_anomaly");
    expect(b.attributes?.category).toBeNull();
  });

  it("keeps an AppID bracket of Snort 3", () => {
    const e = event(parseFastLine('01/01-00:00:00.0 [**] [1:1:1] "x" [**] [Priority: 2] [AppID: HTTP] {TCP} 10.0.0.1:1 -> 10.0.0.2:80', ctx));
    expect(e.attributes?.appid).toBe("HTTP");
  });

  it("masks a card number in a message and in raw", () => {
    const e = event(parseFastLine('01/01-00:00:00.0 [**] [1:9:1] "PAN 4111111111111111 seen" [**] {TCP} 10.0.0.1:1 -> 10.0.0.2:80', ctx));
    expect(e.signature).toBe("PAN ************1111 seen");
    expect(e.raw).toBe('01/01-00:00:00.0 [**] [1:9:1] "PAN ************1111 seen" [**] {TCP} 10.0.0.1:1 -> 10.0.0.2:80');
  });

  it("keeps hostile text in a message as data", () => {
    const msg = "<img src=x onerror=alert(1)>\u001b[2J";
    expect(event(parseFastLine(`01/01-00:00:00.0 [**] [1:9:1] "${msg}" [**] {TCP} 10.0.0.1:1 -> 10.0.0.2:80`, ctx)).signature).toBe(msg);
  });
});

describe("parseFastLine: Snort 2's alert_csv", () => {
  it("reads pfSense's Snort alert log (its CSV columns: … id, classification, priority, action, disposition)", () => {
    const e = event(parseFastLine('09/03/26-12:56:44.310212 ,1,2011716,4,"ET SCAN Sipvicious User-Agent Detected (friendly-scanner)",UDP,203.0.113.221,5103,192.0.2.130,5060,54925,Attempted Information Leak,2,alert,Allow', ctx));
    expect(e).toMatchObject({
      time: Date.UTC(2026, 8, 3, 12, 56, 44, 310),
      kind: "ids_alert",
      severity: "medium",
      service: "snort",
      src_ip: "203.0.113.221",
      src_port: 5103,
      dst_ip: "192.0.2.130",
      dst_port: 5060,
      proto: "UDP",
      signature: "ET SCAN Sipvicious User-Agent Detected (friendly-scanner)",
      message: "ET SCAN Sipvicious User-Agent Detected (friendly-scanner) [Attempted Information Leak]",
    });
    expect(e.attributes).toMatchObject({ gid: 1, sid: 2011716, rev: 4, category: "Attempted Information Leak", priority: 2, action: "allowed" });
    // ICMP: no ports, no classification, priority 0 (none)
    const icmp = event(parseFastLine('09/03/26-16:29:03.494387 ,1,477,3,"ICMP Packet",ICMP,192.0.2.130,,192.0.2.1,,40546,,0,alert,Allow', ctx));
    expect(icmp).toMatchObject({ severity: "medium", src_ip: "192.0.2.130", src_port: null, dst_ip: "192.0.2.1", dst_port: null, proto: "ICMP" });
    expect(icmp.attributes).toMatchObject({ category: null, priority: null });
    expect(event(parseFastLine('09/03/26-16:29:03.494387 ,1,477,3,"ICMP Packet",TCP,192.0.2.130,1,192.0.2.1,2,40546,,1,drop,Blocked', ctx)).attributes).toMatchObject({ action: "blocked" });
  });

  it("reads Snort's default alert_csv columns (ends of the packet, then its Ethernet, TCP, IP and ICMP fields)", () => {
    const tcp = event(parseFastLine('09/04-21:45:37.536335 ,1,1000006,0,"TCP connection",TCP,192.0.2.59,57263,198.51.100.190,22,00:25:90:3A:05:13,00:50:56:9D:A5:BE,0x72,***AP***,0x688F0DFC,0xBC763516,,0x80C,127,0,55665,100,102400,,,,', ctx));
    expect(tcp).toMatchObject({ time: Date.UTC(2026, 8, 4, 21, 45, 37, 536), kind: "ids_alert", severity: "medium", signature: "TCP connection", src_ip: "192.0.2.59", src_port: 57263, dst_ip: "198.51.100.190", dst_port: 22, proto: "TCP" });
    expect(tcp.attributes).toMatchObject({ gid: 1, sid: 1000006, rev: 0, priority: null });
    const icmp = event(parseFastLine('09/04-21:49:55.900215 ,1,1000004,0,"Pinging...",ICMP,192.0.2.190,,198.51.100.1,,00:50:56:9D:A5:BE,00:25:90:3A:05:13,0x62,,,,,,64,0,37607,84,86016,8,0,83,1', ctx));
    expect(icmp).toMatchObject({ src_ip: "192.0.2.190", src_port: null, dst_port: null, proto: "ICMP", attributes: { icmp_type: 8, icmp_code: 0 } });
    // a message with a comma is quoted, a quote in it doubled
    expect(event(parseFastLine('09/04-21:45:37.536335 ,1,1,0,"a, ""b""",TCP,192.0.2.59,1,198.51.100.190,2,00:25:90:3A:05:13,00:50:56:9D:A5:BE,0x72,***AP***,0x688F0DFC,0xBC763516,,0x80C,127,0,55665,100,102400,,,,', ctx)).signature).toBe('a, "b"');
  });

  it("refuses a CSV line whose columns it cannot know (a custom field list), and one with a bad address, saying why", () => {
    expect(reason(parseFastLine('09/04-21:45:37.536335 ,1,1000006,0,"TCP connection",TCP,192.0.2.59,57263', ctx))).toMatch(/^Snort alert_csv: 8 columns/);
    expect(reason(parseFastLine('09/03/26-16:29:03.494387 ,1,477,3,"ICMP Packet",TCP,192.0.2.300,1,192.0.2.1,2,40546,,1,alert,Allow', ctx))).toBe('source: not an address: "192.0.2.300"');
    expect(reason(parseFastLine('09/03/26-16:29:03.494387 ,1,477,x,"ICMP Packet",TCP,192.0.2.3,1,192.0.2.1,2,40546,,1,alert,Allow', ctx))).toMatch(/^Snort alert_csv: gid, sid and rev must be numbers/);
  });
});

describe("parseFastLine: rejections", () => {
  it("skips an empty line", () => {
    expect(parseFastLine("", ctx)).toEqual({ status: "skipped", reason: "empty line" });
  });

  it("rejects a line without a stamp, a header, or with a bad address, naming what is wrong", () => {
    expect(reason(parseFastLine("hello world", ctx))).toMatch(/^not fast\.log: no MM\/DD-hh:mm:ss stamp/);
    expect(reason(parseFastLine("01/01-00:00:00.0 something else", ctx))).toMatch(/^not fast\.log: expected "\[\*\*\] \[gid:sid:rev\]/);
    expect(reason(parseFastLine('01/01-00:00:00.0 [**] [1:1:1] "x" [**] {TCP} 10.0.0.300:1 -> 10.0.0.2:2', ctx))).toBe('source: not an address: "10.0.0.300:1"');
    expect(reason(parseFastLine('01/01-00:00:00.0 [**] [1:1:1] "x" [**] {TCP} 10.0.0.1:1 => 10.0.0.2:2', ctx))).toMatch(/^addresses: expected "source -> destination"/);
  });

  it("says where a syslog line of an alert belongs rather than only that it has no stamp", () => {
    const why = "not fast.log: a syslog line (Snort's and Suricata's alerts over syslog are read on /api/v1/ingest/syslog)";
    expect(reason(parseFastLine("Oct 11 15:08:06 fw1 suricata[46424]: [Drop] [1:2001219:20] ET SCAN Potential SSH Scan [Classification: Attempted Information Leak] [Priority: 2] {TCP} 203.0.113.142:52566 -> 192.0.2.25:22", ctx))).toBe(why);
    expect(reason(parseFastLine("<190>Jul 23 18:12:00 snort[87537]: [136:1:1] (spp_reputation) packets blacklisted [Priority: 2] {TCP} 203.0.113.1:16856 -> 198.51.100.128:2222", ctx))).toBe(why);
    expect(reason(parseFastLine("<165>1 2026-08-07T17:34:53+02:00 fw01 suricata 72834 - - [1:2010935:3] x [Priority: 2] {TCP} 203.0.113.4:1 -> 192.0.2.1:2", ctx))).toBe(why);
  });

  it("rejects a date that does not exist", () => {
    expect(reason(parseFastLine('02/30-00:00:00.0 [**] [1:1:1] "x" [**] {TCP} 10.0.0.1:1 -> 10.0.0.2:2', ctx))).toBe('timestamp: not a calendar date: "02/30-00:00:00.0"');
    expect(reason(parseFastLine('13/13/13-00:00:00.0 [**] [1:1:1] "x" [**] {TCP} 10.0.0.1:1 -> 10.0.0.2:2', ctx))).toBe('timestamp: not a calendar date: "13/13/13-00:00:00.0"');
  });
});

describe("parseFastLine: a rule without a message", () => {
  it("names the alert of a rule without msg by its gid:sid:rev: Suricata prints '(null)', or nothing for msg:\"\"", () => {
    const line = (msg: string) => `12/03/2026-10:00:01.123456  [**] [1:1000001:1] ${msg} [**] [Classification: (null)] [Priority: 3] {TCP} 10.0.0.1:1 -> 10.0.0.2:2`;
    for (const msg of ["(null)", "", '""']) {
      expect(event(parseFastLine(line(msg), ctx))).toMatchObject({ kind: "ids_alert", signature: "1:1000001:1", src_ip: "10.0.0.1", attributes: { sid: 1000001, category: null, priority: 3 } });
    }
  });
});

describe("parseFastLine: Suricata's ports of a protocol without ports", () => {
  it("reads the 0 Suricata appends to an IPv6 address of a protocol without ports (ESP, GRE …) as no port, not as the address's last group", () => {
    const e = event(parseFastLine("12/03/2026-10:00:01.123456  [**] [1:1:1] x [**] [Classification: Misc activity] [Priority: 3] {ESP} 2001:db8::1:0 -> 2001:db8::2:0", ctx));
    expect(e).toMatchObject({ src_ip: "2001:db8::1", src_port: null, dst_ip: "2001:db8::2", dst_port: null, proto: "ESP" });
    expect(event(parseFastLine("12/03/2026-10:00:01.123456  [**] [1:1:1] x [**] [Priority: 3] {GRE} 10.0.0.1:0 -> 10.0.0.2:0", ctx))).toMatchObject({ src_ip: "10.0.0.1", src_port: null, dst_port: null, proto: "GRE" });
    // a TCP port 0 is a port as written
    expect(event(parseFastLine("12/03/2026-10:00:01.123456  [**] [1:1:1] x [**] [Priority: 3] {TCP} 10.0.0.1:0 -> 10.0.0.2:0", ctx))).toMatchObject({ src_port: 0, dst_port: 0 });
    // Snort writes such an address bare: its last group stays the address's
    expect(event(parseFastLine('12/03-10:00:01.123456 [**] [1:1:1] "x" [**] [Priority: 3] {GRE} 2001:db8::1:5 -> 2001:db8::2', ctx))).toMatchObject({ src_ip: "2001:db8::1:5", src_port: null });
  });
});
