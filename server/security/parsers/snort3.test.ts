import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseUpload } from "../formats";
import type { ParseContext, ParseOutcome, ParsedEvent } from "../types";
import { parseEveLine } from "./eve";
import { parseFastLine } from "./fast";

// Lines modelled on what Snort 3's alert_json.cc and alert_csv.cc write (label spacing, field
// order, stamps, "address:port"), with documentation-range addresses.

const ctx = { now: Date.UTC(2026, 11, 1) };

function event(o: ParseOutcome): ParsedEvent {
  if (o.status !== "event") throw new Error(`expected an event, got ${o.status}: ${o.reason}`);
  return o.event;
}
const reason = (o: ParseOutcome) => (o.status === "event" ? "(event)" : o.reason);

/** alert_json's default fields: timestamp pkt_num proto pkt_gen pkt_len dir src_ap dst_ap rule action */
const DEFAULT_JSON =
  '{ "timestamp" : "11/30-10:00:00.123456", "pkt_num" : 1542, "proto" : "TCP", "pkt_gen" : "stream_tcp", "pkt_len" : 97, "dir" : "C2S", "src_ap" : "203.0.113.7:50284", "dst_ap" : "192.0.2.10:80", "rule" : "1:2010935:3", "action" : "would_drop" }';

/** A common configuration: the defaults with msg, class, priority and service. */
const json = (over: Record<string, string> = {}) => {
  const fields: Record<string, string> = {
    timestamp: '"11/30-10:00:00.123456"',
    pkt_num: "1542",
    proto: '"TCP"',
    pkt_gen: '"raw"',
    pkt_len: "97",
    dir: '"C2S"',
    src_ap: '"203.0.113.7:50284"',
    dst_ap: '"192.0.2.10:80"',
    rule: '"1:2010935:3"',
    action: '"allow"',
    msg: '"ET POLICY Suspicious inbound to MSSQL port 1433"',
    class: '"Potentially Bad Traffic"',
    priority: "2",
    service: '"http"',
    ...over,
  };
  const body = Object.entries(fields)
    .filter(([, v]) => v !== "")
    .map(([k, v]) => ` "${k}" : ${v}`)
    .join(",");
  return `{${body} }`;
};

describe("parseFastLine: Snort 3's alert_json", () => {
  it("reads the default field list: no msg, so the rule's id is the signature, and it is still an IDS alert", () => {
    const e = event(parseFastLine(DEFAULT_JSON, ctx));
    expect(e).toMatchObject({
      time: Date.UTC(2026, 10, 30, 10, 0, 0, 123),
      kind: "ids_alert",
      severity: "medium",
      service: "snort",
      src_ip: "203.0.113.7",
      src_port: 50284,
      dst_ip: "192.0.2.10",
      dst_port: 80,
      proto: "TCP",
      signature: "1:2010935:3",
      message: "1:2010935:3",
    });
    expect(e.attributes).toMatchObject({ gid: 1, sid: 2010935, rev: 3, priority: null, category: null, action: "would_block", pkt_num: 1542, pkt_gen: "stream_tcp", direction: "C2S" });
    expect(e.fingerprint).toMatch(/^fast:[0-9a-f]{32}$/);
    expect(e.raw).toBe(DEFAULT_JSON);
  });

  it("reads msg as the signature (without the quotes Snort keeps), class as the category and priority as fast.log's", () => {
    const e = event(parseFastLine(json(), ctx));
    expect(e).toMatchObject({ severity: "medium", signature: "ET POLICY Suspicious inbound to MSSQL port 1433", message: "ET POLICY Suspicious inbound to MSSQL port 1433 [Potentially Bad Traffic]" });
    expect(e.attributes).toMatchObject({ sid: 2010935, category: "Potentially Bad Traffic", priority: 2, action: "allowed", app_proto: "http" });
    const sev = (p: string) => event(parseFastLine(json({ priority: p }), ctx)).severity;
    expect([sev("1"), sev("2"), sev("3"), sev("4")]).toEqual(["high", "medium", "low", "info"]);
  });

  it("reads priority 0 (a rule without classtype or priority) as no priority, and class none as no category", () => {
    const e = event(parseFastLine(json({ priority: "0", class: '"none"' }), ctx));
    expect(e.severity).toBe("medium");
    expect(e.attributes).toMatchObject({ priority: null, category: null });
    expect(e.message).toBe("ET POLICY Suspicious inbound to MSSQL port 1433");
  });

  it("reads Snort 3's actions as fast.log's verdicts: blocked, would_block, allowed, other words as written", () => {
    const action = (a: string) => event(parseFastLine(json({ action: `"${a}"` }), ctx)).attributes?.action;
    expect(["drop", "block", "reset", "force_drop", "would_drop", "would_reset", "cant_drop", "allow", "trust", "retry"].map(action)).toEqual([
      "blocked", "blocked", "blocked", "blocked", "would_block", "would_block", "would_block", "allowed", "trust", "retry",
    ]);
  });

  it("reads a decoder generator's alert (116) as ids_anomaly of at most low severity", () => {
    const e = event(parseFastLine(json({ rule: '"116:150:1"', msg: '"(decode) loopback IP"', class: '"none"', priority: "3", proto: '"IP"', src_ap: '"192.0.2.1:0"', dst_ap: '"127.0.0.1:0"' }), ctx));
    expect(e).toMatchObject({ kind: "ids_anomaly", severity: "low", src_port: null, dst_port: null, proto: "IP" });
  });

  it("reads the year Snort writes first with -y (YY/MM/DD), even where MM/DD/YY would be a date too", () => {
    expect(event(parseFastLine(json({ timestamp: '"26/11/30-10:00:00.500000"' }), ctx)).time).toBe(Date.UTC(2026, 10, 30, 10, 0, 0, 500));
    expect(event(parseFastLine(json({ timestamp: '"25/12/11-10:00:00.000000"' }), ctx)).time).toBe(Date.UTC(2025, 11, 11, 10, 0, 0));
  });

  it("reads the stamp in the configured zone, and seconds (epoch) as the instant whatever the zone", () => {
    const zoned = { ...ctx, timeZone: "Europe/Berlin" };
    expect(event(parseFastLine(DEFAULT_JSON, zoned)).time).toBe(Date.UTC(2026, 10, 30, 9, 0, 0, 123));
    const withSeconds = json({ timestamp: '"11/30-11:00:00.250000"', seconds: "1796032800" });
    expect(event(parseFastLine(withSeconds, zoned)).time).toBe(Date.UTC(2026, 10, 30, 10, 0, 0, 250));
    expect(event(parseFastLine(json({ timestamp: "", seconds: "1796032800" }), ctx)).time).toBe(Date.UTC(2026, 10, 30, 10, 0, 0));
  });

  it("reads src_addr/dst_addr and src_port/dst_port, IPv6 in src_ap (unbracketed, port appended) and ICMP without ports", () => {
    const split = event(parseFastLine(json({ src_ap: "", dst_ap: "", src_addr: '"203.0.113.9"', src_port: "4444", dst_addr: '"2001:db8:0:0::10"', dst_port: "443" }), ctx));
    expect(split).toMatchObject({ src_ip: "203.0.113.9", src_port: 4444, dst_ip: "2001:db8::10", dst_port: 443 });
    const v6 = event(parseFastLine(json({ src_ap: '"2001:db8::5:51000"', dst_ap: '"2001:db8::1:443"' }), ctx));
    expect(v6).toMatchObject({ src_ip: "2001:db8::5", src_port: 51000, dst_ip: "2001:db8::1", dst_port: 443 });
    const icmp = event(parseFastLine(json({ proto: '"ICMP"', src_ap: '"192.0.2.1:0"', dst_ap: '"198.51.100.2:0"', icmp_type: "8", icmp_code: "0" }), ctx));
    expect(icmp).toMatchObject({ src_ip: "192.0.2.1", src_port: null, dst_ip: "198.51.100.2", dst_port: null, proto: "ICMP" });
    expect(icmp.attributes).toMatchObject({ icmp_type: 8, icmp_code: 0 });
    // no IP layer (ARP): Snort writes an empty address
    const arp = event(parseFastLine(json({ proto: '"ARP"', src_ap: '":0"', dst_ap: '":0"', rule: '"112:1:1"' }), ctx));
    expect(arp).toMatchObject({ src_ip: null, src_port: null, dst_ip: null, dst_port: null });
  });

  it("reads gid, sid and rev on their own when the field list has no rule", () => {
    const e = event(parseFastLine(json({ rule: "", gid: "1", sid: "2010935", rev: "3" }), ctx));
    expect(e.attributes).toMatchObject({ gid: 1, sid: 2010935, rev: 3 });
    expect(event(parseFastLine(json({ rule: "", msg: "", gid: "1", sid: "2010935", rev: "3" }), ctx)).signature).toBe("1:2010935:3");
  });

  it("mends what Snort writes that is not JSON: a message with a quote or backslash, written raw, and '{,' when the first field is left out", () => {
    const raw = event(parseFastLine(json({ msg: '"LOCAL "admin" login to C:\\temp"' }), ctx));
    expect(raw.signature).toBe('LOCAL "admin" login to C:\\temp');
    expect(raw.attributes).toMatchObject({ sid: 2010935, category: "Potentially Bad Traffic", priority: 2 });
    const last = event(parseFastLine('{ "rule" : "1:1000001:1", "timestamp" : "11/30-10:00:00.000000", "msg" : "LOCAL "x" at the end" }', ctx));
    expect(last.signature).toBe('LOCAL "x" at the end');
    // a message that is all quoted (msg:"\"x\"" in the rule) keeps its own quotes; one holding a label is tried past it
    expect(event(parseFastLine(json({ msg: '""quoted" then "so""' }), ctx)).signature).toBe('"quoted" then "so"');
    expect(event(parseFastLine(json({ msg: '"a ", "class" : b"' }), ctx))).toMatchObject({ signature: 'a ", "class" : b', attributes: expect.objectContaining({ category: "Potentially Bad Traffic" }) });
    // valid JSON: the value is the message as it is
    expect(event(parseFastLine(json({ msg: '"\\"quoted\\""' }), ctx)).signature).toBe('"quoted"');
    const comma = event(parseFastLine('{, "timestamp" : "11/30-10:00:00.000000", "rule" : "1:1000001:1", "msg" : "LOCAL no IP" }', ctx));
    expect(comma).toMatchObject({ signature: "LOCAL no IP", src_ip: null });
  });

  it("keeps the interface, AppID, target and VLAN, and masks a card number inside b64_data in raw", () => {
    const payload = Buffer.from("GET /pay?card=4111111111111111&x=1 HTTP/1.1\r\n").toString("base64");
    const line = json({ b64_data: `"${payload}"`, iface: '"eth1"', app_id: '"HTTP"', target: '"192.0.2.10"', vlan: "20" });
    const e = event(parseFastLine(line, ctx));
    expect(e.attributes).toMatchObject({ interface: "eth1", appid: "HTTP", target: "192.0.2.10", vlan: 20 });
    expect(e.raw).not.toContain(payload);
    const stored = /"b64_data" : "([^"]+)"/.exec(e.raw)![1];
    expect(Buffer.from(stored, "base64").toString("latin1")).toBe("GET /pay?card=************1111&x=1 HTTP/1.1\r\n");
    expect(e.raw.replace(stored, payload)).toBe(line);
  });

  it("masks a card number in a message, in the line and in an escaped message", () => {
    const e = event(parseFastLine(json({ msg: '"LOCAL card 4111111111111111 seen"' }), ctx));
    expect([e.signature, e.raw.includes("4111111111111111")]).toEqual(["LOCAL card ************1111 seen", false]);
    const escaped = event(parseFastLine(json({ msg: '"LOCAL card \\u0034111111111111111"' }), ctx));
    expect(JSON.stringify(escaped)).not.toMatch(/41111111|u00341111/);
  });

  it("refuses a Suricata EVE record, naming the EVE endpoint", () => {
    const eve = '{"timestamp":"2026-11-30T10:00:00.000000+0000","event_type":"alert","src_ip":"203.0.113.7","dest_ip":"192.0.2.10","alert":{"signature_id":1,"signature":"x"}}';
    expect(reason(parseFastLine(eve, ctx))).toMatch(/Suricata EVE.*\/api\/v1\/ingest\/suricata/);
    expect(reason(parseFastLine(eve.slice(0, -3), ctx))).toMatch(/Suricata EVE.*\/api\/v1\/ingest\/suricata/);
  });

  it.each([
    ['{"hello":"world"}', /^not Snort 3 alert_json: none of its fields/],
    ["{ not json", /^not JSON: /],
    [json({ rule: '"1:2010935"' }), /^rule: not gid:sid:rev: "1:2010935"$/],
    [json({ src_ap: '"203.0.113.7"' }), /^src_ap: not address:port: "203.0.113.7"$/],
    [json({ dst_ap: '"not-an-ip:80"' }), /^dst_ap: not address:port/],
    [json({ src_addr: '"300.1.1.1"' }), /^src_addr: not an IP address/],
    [json({ priority: '"high"' }), /^priority: not a whole number/],
    [json({ timestamp: '"yesterday"' }), /^timestamp: not a Snort stamp/],
    [json({ timestamp: '"02/30-10:00:00.000000"' }), /^timestamp: not a calendar date/],
    [json({ timestamp: "" }), /^timestamp: missing/],
    [json({ rule: "", msg: "" }), /^rule: missing/],
    [json({ icmp_type: "300" }), /^icmp_type: not 0–255/],
  ])("rejects %s saying why", (line, why) => {
    expect(reason(parseFastLine(line, ctx))).toMatch(why);
  });
});

describe("parseFastLine: Snort 3's alert_csv", () => {
  const CSV = "11/30-10:00:00.123456, 1542, TCP, stream_tcp, 97, C2S, 203.0.113.7:50284, 192.0.2.10:80, 1:2010935:3, would_drop";

  it("reads its default fields (timestamp, pkt_num, proto, pkt_gen, pkt_len, dir, src_ap, dst_ap, rule, action)", () => {
    const e = event(parseFastLine(CSV, ctx));
    expect(e).toMatchObject({
      time: Date.UTC(2026, 10, 30, 10, 0, 0, 123),
      kind: "ids_alert",
      severity: "medium",
      service: "snort",
      src_ip: "203.0.113.7",
      src_port: 50284,
      dst_ip: "192.0.2.10",
      dst_port: 80,
      proto: "TCP",
      signature: "1:2010935:3",
    });
    expect(e.attributes).toMatchObject({ gid: 1, sid: 2010935, rev: 3, action: "would_block", pkt_num: 1542, pkt_gen: "stream_tcp", direction: "C2S" });
    expect(e.raw).toBe(CSV);
  });

  it("reads another separator (',', a tab), -y's year, ICMP's port 0 as no port and IPv6 with the port appended", () => {
    expect(event(parseFastLine(CSV.replaceAll(", ", ","), ctx)).src_port).toBe(50284);
    expect(event(parseFastLine(CSV.replaceAll(", ", "\t"), ctx)).dst_port).toBe(80);
    expect(event(parseFastLine(CSV.replace("11/30-", "26/11/30-"), ctx)).time).toBe(Date.UTC(2026, 10, 30, 10, 0, 0, 123));
    const icmp = event(parseFastLine("11/30-10:00:00.000001, 7, ICMP, raw, 84, UNK, 192.0.2.1:0, 198.51.100.2:0, 1:384:8, allow", ctx));
    expect(icmp).toMatchObject({ src_ip: "192.0.2.1", src_port: null, dst_port: null, proto: "ICMP", attributes: expect.objectContaining({ action: "allowed" }) });
    const v6 = event(parseFastLine("11/30-10:00:00.000001, 8, UDP, raw, 120, C2S, 2001:db8::5:5353, 2001:db8::53:53, 1:2027758:2, allow", ctx));
    expect(v6).toMatchObject({ src_ip: "2001:db8::5", src_port: 5353, dst_ip: "2001:db8::53", dst_port: 53 });
  });

  it("refuses another field list, naming the default one it reads", () => {
    const extra = reason(parseFastLine(`${CSV}, "ET POLICY x", 2`, ctx));
    expect(extra).toMatch(/^Snort 3 alert_csv: more than 10 columns; read are its default fields, in order: timestamp, pkt_num, proto, pkt_gen, pkt_len, dir, src_ap, dst_ap, rule, action/);
    expect(reason(parseFastLine("11/30-10:00:00.123456, 1542, TCP, 1:2010935:3", ctx))).toMatch(/^Snort 3 alert_csv: 4 columns; read are its default fields/);
    // ten columns, but not in the default order
    const swapped = reason(parseFastLine("11/30-10:00:00.123456, 1542, TCP, stream_tcp, 97, C2S, 1:2010935:3, 192.0.2.10:80, 203.0.113.7:50284, would_drop", ctx));
    expect(swapped).toMatch(/^Snort 3 alert_csv: column 7 is not src_ap: "1:2010935:3"; read are its default fields/);
    // a list that does not start with the stamp
    expect(reason(parseFastLine('1:2010935:3, "ET POLICY x", 203.0.113.7, 192.0.2.10', ctx))).toMatch(/^Snort 3 alert_csv with the stamp not first: read are its default fields/);
  });

  it("still reads Snort 2's alert_csv (the stamp ends in a blank) as before", () => {
    const pf = "09/03/26-12:56:44.310212 ,1,2011716,4,\"ET SCAN Sipvicious User-Agent Detected (friendly-scanner)\",UDP,203.0.113.221,5103,192.0.2.130,5060,54925,Attempted Information Leak,2,alert,Allow";
    expect(event(parseFastLine(pf, ctx))).toMatchObject({ signature: "ET SCAN Sipvicious User-Agent Detected (friendly-scanner)", time: Date.UTC(2026, 8, 3, 12, 56, 44, 310) });
  });
});

describe("Snort 3 alert_csv with a custom field list (a header line, or ?fields= on /ingest/fast)", () => {
  const upload = (body: string, extra: Partial<ParseContext> = {}) => parseUpload("fast", Buffer.from(body), "text/plain", { ...ctx, ...extra }).map((o) => o.outcome);
  const DEFAULT = "11/30-10:00:00.123456, 1542, TCP, stream_tcp, 97, C2S, 203.0.113.7:50284, 192.0.2.10:80, 1:2010935:3, would_drop";
  // snort.lua: alert_csv = { fields = 'timestamp pkt_num proto pkt_gen pkt_len dir src_ap dst_ap rule action msg' }
  const WITH_MSG = `${DEFAULT}, "ET POLICY Suspicious inbound to MSSQL port 1433"`;

  it("reads the lines after a '# fields:' header in its fields, msg as the signature; the header itself is skipped, counted", () => {
    const [head, e] = upload(`# fields: timestamp pkt_num proto pkt_gen pkt_len dir src_ap dst_ap rule action msg\n${WITH_MSG}\n`);
    expect(head).toEqual({ status: "skipped", reason: "Snort 3 alert_csv field list: the lines after it are read in its fields" });
    expect(event(e)).toMatchObject({ time: Date.UTC(2026, 10, 30, 10, 0, 0, 123), kind: "ids_alert", service: "snort", signature: "ET POLICY Suspicious inbound to MSSQL port 1433", src_ip: "203.0.113.7", src_port: 50284, dst_ip: "192.0.2.10", dst_port: 80, proto: "TCP" });
    expect(event(e).attributes).toMatchObject({ gid: 1, sid: 2010935, rev: 3, action: "would_block", pkt_num: 1542, pkt_gen: "stream_tcp", direction: "C2S" });
    expect(event(e).raw).toBe(WITH_MSG);
  });

  it("reads a plain CSV header (any order, a subset, any separator), addresses and ports on their own, class and priority; the rule's id without msg", () => {
    const [, a, b] = upload(
      [
        "timestamp,rule,msg,src_addr,src_port,dst_addr,dst_port,proto,action,class,priority",
        '11/30-10:00:00.123456,1:2010935:3,"ET POLICY x, with a comma",203.0.113.7,50284,192.0.2.10,1433,TCP,allow,Potentially Bad Traffic,2',
        "11/30-10:00:01.000000,1:2010936:1,,203.0.113.8,,192.0.2.10,,ICMP,drop,none,0",
      ].join("\n"),
    );
    expect(event(a)).toMatchObject({ signature: "ET POLICY x, with a comma", src_ip: "203.0.113.7", src_port: 50284, dst_port: 1433, proto: "TCP" });
    expect(event(a).attributes).toMatchObject({ category: "Potentially Bad Traffic", priority: 2, action: "allowed" });
    expect(event(b)).toMatchObject({ signature: "1:2010936:1", src_ip: "203.0.113.8", src_port: null, dst_port: null, proto: "ICMP" });
    expect(event(b).attributes).toMatchObject({ action: "blocked" });
    // gid/sid/rev on their own, seconds for the time, the separator " | "
    const [, c] = upload("# fields: seconds | gid | sid | rev | msg | src_ap | dst_ap\n1795996800 | 1 | 384 | 8 | \"PROTOCOL-ICMP PING\" | 192.0.2.1:0 | 198.51.100.2:0");
    expect(event(c)).toMatchObject({ time: 1795996800_000, signature: "PROTOCOL-ICMP PING", src_ip: "192.0.2.1", attributes: expect.objectContaining({ gid: 1, sid: 384, rev: 8 }) });
  });

  it("gives the default field list, named, the same event as without a header", () => {
    const [, named] = upload(`timestamp, pkt_num, proto, pkt_gen, pkt_len, dir, src_ap, dst_ap, rule, action\n${DEFAULT}`);
    const plain = event(parseFastLine(DEFAULT, ctx));
    expect({ ...event(named), fingerprint: null }).toEqual({ ...plain, fingerprint: null });
  });

  it("takes the field list from ?fields= (ctx.snort3CsvFields) for the whole upload, a header line in it overriding it for the lines after", () => {
    const [a, , b] = upload(`${WITH_MSG}\n# fields: timestamp,rule,msg\n11/30-10:00:02.000000, 1:9:1, "LOCAL x"`, { snort3CsvFields: "timestamp,pkt_num,proto,pkt_gen,pkt_len,dir,src_ap,dst_ap,rule,action,msg" });
    expect(event(a).signature).toBe("ET POLICY Suspicious inbound to MSSQL port 1433");
    expect(event(b)).toMatchObject({ signature: "LOCAL x", src_ip: null, time: Date.UTC(2026, 10, 30, 10, 0, 2) });
  });

  it("refuses a field list naming fields alert_csv does not write, listing them, and the lines read by it; ?fields= so is a 400", () => {
    const [head, line] = upload(`# fields: timestamp,rule,signature,src,msg\n${WITH_MSG}`);
    expect(head).toEqual({ status: "rejected", reason: 'Snort 3 alert_csv field list: not alert_csv field names: "signature", "src"' });
    expect(reason(line)).toBe('Snort 3 alert_csv: the field list at line 1 is not read (not alert_csv field names: "signature", "src")');
    expect(reason(upload("timestamp,rule,bogus\n")[0])).toBe('Snort 3 alert_csv field list: not alert_csv field names: "bogus"');
    expect(() => upload(WITH_MSG, { snort3CsvFields: "timestamp,rule,nope" })).toThrow(/fields: Snort 3 alert_csv field list: not alert_csv field names: "nope"/);
  });

  it("skips Snort 2's alert_csv header (its lines read as before), and reads fast.log and Snort 2 CSV lines after a Snort 3 field list as their own", () => {
    const pf = "09/03/26-12:56:44.310212 ,1,2011716,4,\"ET SCAN Sipvicious User-Agent Detected (friendly-scanner)\",UDP,203.0.113.221,5103,192.0.2.130,5060,54925,Attempted Information Leak,2,alert,Allow";
    const [head, a] = upload(`timestamp,sig_generator,sig_id,sig_rev,msg,proto,src,srcport,dst,dstport,id,classification,priority,action,disposition\n${pf}`);
    expect(head).toEqual({ status: "skipped", reason: "Snort 2 alert_csv header: its lines are read by their columns" });
    expect(event(a).signature).toBe("ET SCAN Sipvicious User-Agent Detected (friendly-scanner)");
    const fast = '01/02-11:30:23.358639 [**] [1:648:18] "INDICATOR-SHELLCODE x86 NOOP" [**] [Priority: 1] {TCP} 192.0.2.254:80 -> 198.51.100.103:60884';
    expect(upload(`# fields: timestamp rule msg\n${pf}\n${fast}\n11/30-10:00:00.123456, 1:1:1, "x"`).map((o) => o.status)).toEqual(["skipped", "event", "event", "event"]);
    // an empty column after the stamp is still the named list's
    expect(event(upload("# fields: timestamp msg rule src_ap\n11/30-10:00:00.123456, , 1:1:1, 203.0.113.7:1")[1])).toMatchObject({ signature: "1:1:1", src_ip: "203.0.113.7" });
  });

  it("refuses a line that does not fit the named fields, naming them", () => {
    const [, few, bad] = upload(`# fields: timestamp rule msg src_ap\n11/30-10:00:00.123456, 1:1:1\n11/30-10:00:00.123456, 1:1:1, "x", 203.0.113.7`);
    expect(reason(few)).toBe("Snort 3 alert_csv: 2 columns for the 4 fields named (timestamp, rule, msg, src_ap)");
    expect(reason(bad)).toBe('src_ap: not address:port: "203.0.113.7"');
  });
});

describe("Snort 3 alert_json on the endpoints", () => {
  it("is taken as NDJSON on /ingest/fast, line by line beside fast.log", () => {
    const body = Buffer.from(`${DEFAULT_JSON}\n${json()}\n01/02-11:30:23.358639 [**] [1:648:18] "INDICATOR-SHELLCODE x86 NOOP" [**] [Priority: 1] {TCP} 192.0.2.254:80 -> 198.51.100.103:60884\n`);
    const out = parseUpload("fast", body, "application/x-ndjson", ctx);
    expect(out.map((o) => o.outcome.status)).toEqual(["event", "event", "event"]);
  });

  it("is refused on /ingest/suricata, naming /ingest/fast (not 'event_type: missing'), also when Snort wrote it as not JSON", () => {
    expect(reason(parseEveLine(DEFAULT_JSON, ctx))).toMatch(/^a Snort 3 alert_json record.*\/api\/v1\/ingest\/fast$/);
    expect(reason(parseEveLine(json({ msg: '"LOCAL "quoted""' }), ctx))).toMatch(/^a Snort 3 alert_json record.*\/api\/v1\/ingest\/fast$/);
    expect(reason(parseEveLine('{"timestamp":"2026-11-30T10:00:00Z"}', ctx))).toBe("event_type: missing");
  });
});

describe("the README's Snort 3 examples", () => {
  it("are read as the README says", () => {
    const readme = readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
    const examples = readme.split("\n").filter((l) => /^ {4}(?:\{ "timestamp" : |11\/30-10:00:00\.123456, )/.test(l)).map((l) => l.slice(4));
    expect(examples).toHaveLength(3);
    const [defaults, withMsg, csv] = examples.map((l) => event(parseFastLine(l, ctx)));
    expect([defaults.signature, defaults.kind, defaults.severity]).toEqual(["1:2010935:3", "ids_alert", "medium"]);
    expect(withMsg).toMatchObject({ signature: "ET POLICY Suspicious inbound to MSSQL port 1433", time: Date.UTC(2026, 10, 30, 10, 0, 0, 123), dst_port: 1433 });
    expect(withMsg.attributes).toMatchObject({ category: "Potentially Bad Traffic", priority: 2, action: "allowed" });
    expect(withMsg.attributes?.app_proto).toBeUndefined();
    expect(csv).toMatchObject({ signature: "1:2010935:3", src_ip: "203.0.113.7", dst_port: 80 });
    // a field list named in a header line, then a record in it
    const at = readme.split("\n").findIndex((l) => l.startsWith("    # fields: "));
    const [head, record] = parseUpload("fast", Buffer.from(readme.split("\n").slice(at, at + 2).map((l) => l.slice(4)).join("\n")), "text/plain", ctx).map((o) => o.outcome);
    expect(head.status).toBe("skipped");
    expect(event(record)).toMatchObject({ signature: "ET POLICY Suspicious inbound to MSSQL port 1433", dst_port: 1433, time: Date.UTC(2026, 10, 30, 10, 0, 1) });
  });
});

describe("alert_json with every field of its json_range, as alert_json.cc writes each", () => {
  it("reads a record of all 45 fields (eth_*, iface, ip_*, tcp_*, mpls, vlan …): the event from its rule, message, ends and time, the rest kept in raw", () => {
    const all =
      '{ "action" : "drop", "class" : "Attempted Administrator Privilege Gain", "b64_data" : "R0VUIC8gSFRUUC8xLjENCg==", "dir" : "C2S", "dst_addr" : "2001:db8::10", "dst_ap" : "2001:db8::10:443", ' +
      '"dst_port" : 443, "eth_dst" : "52:54:00:65:43:21", "eth_len" : 94, "eth_src" : "52:54:00:12:34:56", "eth_type" : "0x86DD", "gid" : 1, ' +
      '"iface" : "eth0", "ip_id" : 0, "ip_len" : 20, "msg" : "ET EXPLOIT test", "mpls" : 0, "pkt_gen" : "raw", "pkt_len" : 80, "pkt_num" : 12, "priority" : 1, ' +
      '"proto" : "TCP", "rev" : 3, "rule" : "1:2030000:3", "seconds" : 1796292001, "service" : "https", "sid" : 2030000, "src_addr" : "2001:db8::5", "src_ap" : "2001:db8::5:50000", ' +
      '"src_port" : 50000, "target" : "2001:db8::10", "tcp_ack" : 2864434397, "tcp_flags" : "***AP***", "tcp_len" : 5, "tcp_seq" : 4294967295, ' +
      '"tcp_win" : 502, "timestamp" : "12/03-10:00:01.123456", "tos" : 0, "ttl" : 64, "vlan" : 20 }';
    const e = event(parseFastLine(all, ctx));
    expect(e).toMatchObject({ time: 1_796_292_001_123, signature: "ET EXPLOIT test", src_ip: "2001:db8::5", src_port: 50000, dst_ip: "2001:db8::10", dst_port: 443, proto: "TCP", severity: "high", kind: "ids_alert" });
    expect(e.attributes).toMatchObject({ sid: 2030000, gid: 1, rev: 3, category: "Attempted Administrator Privilege Gain", action: "blocked", interface: "eth0", app_proto: "https", target: "2001:db8::10", vlan: 20, direction: "C2S" });
    expect(e.raw).toContain('"eth_src" : "52:54:00:12:34:56"');
  });

  it("reads an ICMP record without ports (src_ap's port 0) and an IPv6 src_ap also when a tool has bracketed it", () => {
    const icmp = event(parseFastLine('{ "timestamp" : "12/03-10:00:01.000001", "proto" : "ICMP", "src_ap" : "203.0.113.5:0", "dst_ap" : "192.0.2.1:0", "icmp_type" : 8, "icmp_code" : 0, "icmp_id" : 1, "icmp_seq" : 2, "rule" : "1:384:8", "msg" : "PROTOCOL-ICMP PING", "action" : "allow" }', ctx));
    expect(icmp).toMatchObject({ src_port: null, dst_port: null, attributes: { icmp_type: 8, icmp_code: 0 } });
    const bracketed = event(parseFastLine('{ "timestamp" : "12/03-10:00:01.000001", "proto" : "TCP", "src_ap" : "[2001:db8::1]:51000", "dst_ap" : "[2001:db8::2]:80", "rule" : "1:1000001:1" }', ctx));
    expect(bracketed).toMatchObject({ src_ip: "2001:db8::1", src_port: 51000, dst_ip: "2001:db8::2", dst_port: 80 });
  });
});
