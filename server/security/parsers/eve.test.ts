import { describe, expect, it } from "vitest";
import type { ParseOutcome, ParsedEvent } from "../types";
import { parseEveLine } from "./eve";

const ctx = { now: Date.UTC(2026, 11, 1) };

function event(o: ParseOutcome): ParsedEvent {
  if (o.status !== "event") throw new Error(`expected an event, got ${o.status}: ${o.reason}`);
  return o.event;
}
const reason = (o: ParseOutcome) => (o.status === "event" ? "(event)" : o.reason);

const alertLine = (alert: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    timestamp: "2026-11-30T10:00:00.123456+0000",
    flow_id: 1201228494666661,
    in_iface: "eth0",
    event_type: "alert",
    src_ip: "203.0.113.9",
    src_port: 4242,
    dest_ip: "10.0.0.5",
    dest_port: 22,
    proto: "TCP",
    alert: { action: "allowed", gid: 1, signature_id: 2001219, rev: 20, signature: "ET SCAN Potential SSH Scan", category: "Attempted Information Leak", severity: 2, ...alert },
    app_proto: "ssh",
    ...extra,
  });

describe("parseEveLine: alerts", () => {
  it("turns an alert into an ids_alert with the signature, addresses, ports and rule attributes", () => {
    const e = event(parseEveLine(alertLine({}), ctx));
    expect(e).toMatchObject({
      time: Date.UTC(2026, 10, 30, 10, 0, 0, 123),
      kind: "ids_alert",
      severity: "medium",
      service: "suricata",
      src_ip: "203.0.113.9",
      src_port: 4242,
      dst_ip: "10.0.0.5",
      dst_port: 22,
      proto: "TCP",
      signature: "ET SCAN Potential SSH Scan",
      occurrences: 1,
    });
    expect(e.attributes).toMatchObject({ sid: 2001219, gid: 1, rev: 20, category: "Attempted Information Leak", priority: 2, action: "allowed", app_proto: "ssh", flow_id: 1201228494666661, in_iface: "eth0" });
    expect(e.fingerprint).toMatch(/^suricata:[0-9a-f]{32}$/);
  });

  it("maps alert severity 1, 2, 3 and other numbers to high, medium, low and info, and a missing one to medium (as fast.log does)", () => {
    const sev = (n: unknown) => event(parseEveLine(alertLine({ severity: n }), ctx)).severity;
    expect([sev(1), sev(2), sev(3), sev(4), sev(undefined)]).toEqual(["high", "medium", "low", "info", "medium"]);
  });

  it("makes a decoder alert (SURICATA …, Generic Protocol Command Decode) an ids_anomaly of at most low severity", () => {
    const e = event(parseEveLine(alertLine({ signature: "SURICATA TLS invalid record type", category: "Generic Protocol Command Decode", signature_id: 2230002, severity: 1 }), ctx));
    expect(e.kind).toBe("ids_anomaly");
    expect(e.severity).toBe("low");
  });

  it("makes a stream-engine alert (sid 2200000–2299999) an ids_anomaly whatever its category", () => {
    const e = event(parseEveLine(alertLine({ signature: "SURICATA STREAM 3way handshake wrong seq wrong ack", category: "Potentially Bad Traffic", signature_id: 2210010, severity: 2 }), ctx));
    expect(e.kind).toBe("ids_anomaly");
    expect(e.severity).toBe("low");
  });

  it("keeps a real signature with a SURICATA-like name but another class and sid an ids_alert", () => {
    expect(event(parseEveLine(alertLine({ signature: "SURICATA-ish custom rule", signature_id: 9000001, category: "Misc activity" }), ctx)).kind).toBe("ids_alert");
  });

  it("reads a -0500 offset without a colon", () => {
    const e = event(parseEveLine(alertLine({}, { timestamp: "2022-02-08T09:40:29.080710-0500" }), ctx));
    expect(e.time).toBe(Date.UTC(2022, 1, 8, 14, 40, 29, 80));
  });

  it("stores IPv6 addresses canonically, also when written fully expanded", () => {
    const e = event(parseEveLine(alertLine({}, { src_ip: "2001:0db8:0000:0000:0000:0000:0000:0001", dest_ip: "2001:DB8::2" }), ctx));
    expect([e.src_ip, e.dst_ip]).toEqual(["2001:db8::1", "2001:db8::2"]);
  });

  it("stores an IPv4-mapped IPv6 address as the IPv4 address", () => {
    expect(event(parseEveLine(alertLine({}, { src_ip: "::ffff:203.0.113.9" }), ctx)).src_ip).toBe("203.0.113.9");
  });

  it("accepts an ICMP alert without ports and keeps the ICMP type and code", () => {
    const line = alertLine({}, { proto: "ICMP", src_port: undefined, dest_port: undefined, icmp_type: 8, icmp_code: 0 });
    const e = event(parseEveLine(line, ctx));
    expect([e.src_port, e.dst_port, e.proto]).toEqual([null, null, "ICMP"]);
    expect(e.attributes).toMatchObject({ icmp_type: 8, icmp_code: 0 });
  });

  it("upper-cases the protocol (IPv6-ICMP → IPV6-ICMP)", () => {
    expect(event(parseEveLine(alertLine({}, { proto: "IPv6-ICMP" }), ctx)).proto).toBe("IPV6-ICMP");
  });

  it("reads escaped slashes in older EVE lines", () => {
    const line = alertLine({ signature: "ET WEB_SERVER \\/etc\\/passwd access" }).replace("\\\\/etc\\\\/passwd", "\\/etc\\/passwd");
    expect(line).toContain("\\/etc\\/passwd");
    expect(event(parseEveLine(line, ctx)).signature).toBe("ET WEB_SERVER /etc/passwd access");
  });

  it("tolerates a trailing carriage return and gives it the same fingerprint as without", () => {
    const line = alertLine({});
    const a = event(parseEveLine(line, ctx));
    const b = event(parseEveLine(`${line}\r`, ctx));
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(b.raw).toBe(line);
  });

  it("gives the same line the same fingerprint and another line another", () => {
    const a = event(parseEveLine(alertLine({}), ctx)).fingerprint;
    expect(event(parseEveLine(alertLine({}), ctx)).fingerprint).toBe(a);
    expect(event(parseEveLine(alertLine({ rev: 21 }), ctx)).fingerprint).not.toBe(a);
  });

  it("keeps a flow_id beyond 2^53 as its exact digits", () => {
    const line = alertLine({}).replace("1201228494666661", "18446744073709551615");
    expect(event(parseEveLine(line, ctx)).attributes?.flow_id).toBe("18446744073709551615");
  });

  it("keeps a raw line under 8 KiB as it is, and cuts a longer one with a visible marker", () => {
    const small = alertLine({});
    expect(event(parseEveLine(small, ctx)).raw).toBe(small);
    const big = alertLine({}, { payload: "A".repeat(20_000) });
    const raw = event(parseEveLine(big, ctx)).raw;
    expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(8192);
    expect(raw).toMatch(/…\[truncated [\d,]+ bytes\]$/);
  });

  it("masks a card number in a payload and serializes the masked object as raw", () => {
    const line = alertLine({ signature: "ET POLICY PAN 4111111111111111 in clear" }, { payload_printable: "POST /pay card=4111111111111111" });
    const e = event(parseEveLine(line, ctx));
    expect(e.signature).toBe("ET POLICY PAN ************1111 in clear");
    expect(e.raw).not.toContain("4111111111111111");
    expect(JSON.parse(e.raw).payload_printable).toBe("POST /pay card=************1111");
    expect(e.fingerprint).toBe(event(parseEveLine(line, ctx)).fingerprint);
  });

  it("masks a card number that the line writes with JSON escapes (\\n before it, \\u0034 for a digit)", () => {
    const a = event(parseEveLine(alertLine({}, { payload_printable: "x\n4111111111111111a" }), ctx));
    expect(JSON.parse(a.raw).payload_printable).toBe("x\n************1111a");
    const escaped = alertLine({}, { payload_printable: "card 4111111111111111" }).replace("card 4111", "card \\u0034111");
    expect(escaped).toContain("\\u0034111");
    const b = event(parseEveLine(escaped, ctx));
    expect(JSON.parse(b.raw).payload_printable).toBe("card ************1111");
  });

  it("masks a card number inside the base64 fields (payload, packet, HTTP bodies, a frame's payload) and keeps their other bytes", () => {
    const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64");
    const http = "POST /pay HTTP/1.1\r\nHost: shop\r\n\r\ncard=4111111111111111&cvv=123";
    // a packet: binary headers (bytes that are not text, one of them a digit '4'), then the payload
    const header = Buffer.from([0x00, 0x1b, 0x21, 0xff, 0x34, 0x08, 0x00, 0x45, 0x00, 0x01, 0xc3]);
    const line = alertLine({}, {
      payload: b64(http),
      payload_printable: http,
      packet: b64(Buffer.concat([header, Buffer.from(http)])),
      http: { hostname: "shop", http_request_body: b64("card=4111111111111111&cvv=123"), http_response_body: b64("paid with 4111 1111 1111 1111"), http_request_body_printable: "card=4111111111111111&cvv=123" },
      frame: { type: "data", payload: b64("pan=5555555555554444") },
    });
    const raw = JSON.parse(event(parseEveLine(line, ctx)).raw);
    const text = (s: string) => Buffer.from(s, "base64").toString("latin1");
    expect(text(raw.payload)).toBe(http.replace("4111111111111111", "************1111"));
    expect(raw.payload_printable).toBe(http.replace("4111111111111111", "************1111"));
    const packet = Buffer.from(raw.packet, "base64");
    expect(packet.subarray(0, header.length).equals(header)).toBe(true);
    expect(packet.subarray(header.length).toString("latin1")).toBe(http.replace("4111111111111111", "************1111"));
    expect(text(raw.http.http_request_body)).toBe("card=************1111&cvv=123");
    expect(text(raw.http.http_response_body)).toBe("paid with ************1111");
    expect(raw.http.http_request_body_printable).toBe("card=************1111&cvv=123");
    expect(text(raw.frame.payload)).toBe("pan=************4444");
  });

  it("keeps the line as raw when its base64 fields hold no card number (and leaves a payload that is not base64 to text masking)", () => {
    const line = alertLine({}, { payload: Buffer.from("GET / HTTP/1.1\r\nX-Id: 123456789012\r\n").toString("base64"), packet: Buffer.from([0, 1, 2, 0x34, 0x31]).toString("base64") });
    expect(event(parseEveLine(line, ctx)).raw).toBe(line);
    const notBase64 = alertLine({}, { payload: "card 4111111111111111" });
    expect(JSON.parse(event(parseEveLine(notBase64, ctx)).raw).payload).toBe("card ************1111");
  });

  it("keeps the line as raw when its only long number is a JSON number (flow_id), Luhn or not", () => {
    const line = alertLine({}, { flow_id: 4111111111111111 });
    expect(event(parseEveLine(line, ctx)).raw).toBe(line);
  });

  it("keeps hostile text in a signature as data: markup, NUL and ANSI escapes unchanged", () => {
    const sig = '<script>alert(1)</script>\u0000\u001b[31mred';
    expect(event(parseEveLine(alertLine({ signature: sig }), ctx)).signature).toBe(sig);
  });
});

describe("parseEveLine: anomalies and context", () => {
  const anomaly = JSON.stringify({ timestamp: "2022-02-08T11:33:00.175195-0500", flow_id: 1, event_type: "anomaly", src_ip: "206.190.49.109", src_port: 25, dest_ip: "10.2.8.102", dest_port: 49890, proto: "TCP", anomaly: { app_proto: "smtp", type: "applayer", event: "APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION", layer: "proto_detect" } });

  it("turns an anomaly record into a low ids_anomaly named by its event", () => {
    const e = event(parseEveLine(anomaly, ctx));
    expect(e).toMatchObject({ kind: "ids_anomaly", severity: "low", signature: "APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION", src_ip: "206.190.49.109" });
    expect(e.attributes).toMatchObject({ anomaly_type: "applayer", layer: "proto_detect", app_proto: "smtp" });
  });

  it("names an anomaly by its type when it has no event", () => {
    const line = JSON.stringify({ timestamp: "2026-01-01T00:00:00Z", event_type: "anomaly", anomaly: { type: "decode" } });
    expect(event(parseEveLine(line, ctx)).signature).toBe("decode");
  });

  it.each(["dns", "tls", "http", "ssh", "smtp", "fileinfo", "netflow", "drop"])("skips an EVE %s record as context", (type) => {
    const line = JSON.stringify({ timestamp: "2026-01-01T00:00:00Z", event_type: type, src_ip: "10.0.0.1", dest_ip: "10.0.0.2" });
    expect(parseEveLine(line, ctx)).toEqual({ status: "skipped", reason: `eve ${type}: context, not stored` });
  });

  it("skips a stats record, which has no addresses", () => {
    const line = JSON.stringify({ timestamp: "2024-08-24T09:33:09.357542-0400", event_type: "stats", stats: { uptime: 15 } });
    expect(parseEveLine(line, ctx)).toEqual({ status: "skipped", reason: "eve stats: context, not stored" });
  });

  it("skips a flow record and hands its flow over for scan detection", () => {
    const line = JSON.stringify({ timestamp: "2022-02-08T09:40:28.279682-0500", event_type: "flow", src_ip: "10.2.8.102", src_port: 49747, dest_ip: "2001:0db8::0001", dest_port: 443, proto: "tcp", flow: { start: "2022-02-08T09:43:37.139810-0500", state: "established" } });
    expect(parseEveLine(line, ctx)).toEqual({
      status: "skipped",
      reason: "eve flow: context, not stored",
      flow: { time: Date.UTC(2022, 1, 8, 14, 43, 37, 139), src_ip: "10.2.8.102", dst_ip: "2001:db8::1", dst_port: 443, proto: "TCP", state: "established", key: expect.stringMatching(/^suricata:[0-9a-f]{32}$/) },
    });
  });

  it("keys a flow by flow_id and flow.start (a re-sent record has the same key), all 20 digits of a large flow_id", () => {
    const rec = { timestamp: "2022-02-08T09:45:00.000000-0500", flow_id: 1201228494666661, event_type: "flow", src_ip: "10.2.8.102", dest_ip: "10.2.8.1", dest_port: 53, proto: "UDP", flow: { start: "2022-02-08T09:43:37.139810-0500" } };
    const key = (line: string) => {
      const o = parseEveLine(line, ctx);
      return o.status === "skipped" ? o.flow?.key : undefined;
    };
    const start = Date.UTC(2022, 1, 8, 14, 43, 37, 139).toString(36);
    expect(key(JSON.stringify(rec))).toBe(`${(1201228494666661).toString(36)}|${start}`);
    // the same flow logged again later (another timestamp, more packets) is the same flow
    expect(key(JSON.stringify({ ...rec, timestamp: "2022-02-08T09:50:00.000000-0500", flow: { ...rec.flow, pkts_toserver: 9 } }))).toBe(key(JSON.stringify(rec)));
    expect(key(JSON.stringify(rec).replace("1201228494666661", "18446744073709551615"))).toBe(`18446744073709551615|${start}`);
  });

  it("hands over an ICMP flow with no port, timed by the record when flow.start is missing", () => {
    const line = JSON.stringify({ timestamp: "2026-01-01T00:00:00Z", event_type: "flow", src_ip: "10.0.0.1", dest_ip: "10.0.0.2", proto: "ICMP", flow: {} });
    const o = parseEveLine(line, ctx);
    expect(o.status === "skipped" && o.flow).toEqual({ time: Date.UTC(2026, 0, 1), src_ip: "10.0.0.1", dst_ip: "10.0.0.2", dst_port: null, proto: "ICMP", state: null, key: expect.any(String) });
  });
});

describe("parseEveLine: rejections", () => {
  it("rejects a line that is not JSON with the parser's words, trimmed", () => {
    const r = reason(parseEveLine('{"timestamp": hello}', ctx));
    expect(r).toMatch(/^not JSON: /);
    expect(r.length).toBeLessThanOrEqual(130);
  });

  it("rejects JSON that is not an object", () => {
    expect(parseEveLine("[1,2]", ctx)).toEqual({ status: "rejected", reason: "not a JSON object: an array" });
    expect(parseEveLine("42", ctx)).toEqual({ status: "rejected", reason: "not a JSON object: number" });
  });

  it("rejects a record without event_type or timestamp, naming the field", () => {
    expect(reason(parseEveLine('{"timestamp":"2026-01-01T00:00:00Z"}', ctx))).toBe("event_type: missing");
    expect(reason(parseEveLine('{"event_type":"alert"}', ctx))).toBe("timestamp: missing");
  });

  it("rejects a timestamp that is not a time, quoting it", () => {
    expect(reason(parseEveLine('{"event_type":"dns","timestamp":"yesterday"}', ctx))).toBe('timestamp: not a time: "yesterday"');
    expect(reason(parseEveLine('{"event_type":"dns","timestamp":"2026-02-30T00:00:00Z"}', ctx))).toBe('timestamp: not a time: "2026-02-30T00:00:00Z"');
  });

  it("reads a timestamp without an offset in the configured zone", () => {
    const line = alertLine({}, { timestamp: "2026-07-01T12:00:00.5" });
    expect(event(parseEveLine(line, { ...ctx, timeZone: "Europe/Berlin" })).time).toBe(Date.UTC(2026, 6, 1, 10, 0, 0, 500));
  });

  it("rejects an alert with a wrong type in an address, port or rule field", () => {
    expect(reason(parseEveLine(alertLine({}, { src_ip: "999.1.1.1" }), ctx))).toBe('src_ip: not an IP address: "999.1.1.1"');
    expect(reason(parseEveLine(alertLine({}, { dest_port: "22" }), ctx))).toBe('dest_port: not a port number: "\\"22\\""');
    expect(reason(parseEveLine(alertLine({}, { src_port: 70000 }), ctx))).toBe('src_port: not a port number: "70000"');
    expect(reason(parseEveLine(alertLine({ signature_id: "x" }), ctx))).toBe('alert.signature_id: not a whole number: "\\"x\\""');
    expect(reason(parseEveLine(alertLine({ signature: 5 }), ctx))).toBe("alert.signature: missing or not text");
  });

  it("names the alert of a rule without msg (Suricata writes \"signature\":\"\") by its gid:sid:rev", () => {
    expect(event(parseEveLine(alertLine({ signature: "", category: "" }), ctx))).toMatchObject({ kind: "ids_alert", signature: "1:2001219:20", attributes: { sid: 2001219, category: null } });
    expect(reason(parseEveLine(alertLine({ signature: "", signature_id: undefined }), ctx))).toBe("alert.signature: empty, and no signature_id to name the rule by");
  });

  it("refuses an EVE record behind a syslog header, saying syslog lines are read on the syslog endpoint", () => {
    const why = "a syslog line carrying an EVE record (its header before the JSON): syslog lines are read on /api/v1/ingest/syslog";
    expect(reason(parseEveLine(`Dec  3 10:00:01 sensor1 suricata[1234]: ${alertLine({})}`, ctx))).toBe(why);
    expect(reason(parseEveLine(`<33>1 2026-12-03T10:00:01.123456+01:00 opnsense suricata 1234 - - ${alertLine({})}`, ctx))).toBe(why);
    expect(reason(parseEveLine("Dec  3 10:00:01 not json at all", ctx))).toMatch(/^not JSON: /);
  });

  it("rejects an alert record without an alert object", () => {
    expect(reason(parseEveLine(JSON.stringify({ timestamp: "2026-01-01T00:00:00Z", event_type: "alert" }), ctx))).toBe("alert: missing or not an object");
  });
});
