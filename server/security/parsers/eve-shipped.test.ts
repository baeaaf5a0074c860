import { describe, expect, it } from "vitest";
import type { ParseOutcome, ParsedEvent } from "../types";
import { parseEveLine } from "./eve";

// EVE records as Filebeat's suricata module, Logstash and Security Onion deliver them. The
// Filebeat document follows the module's own test (x-pack/filebeat/module/suricata/eve/test,
// eve-alerts.log-expected.json): the alert's severity, action and addresses moved to ECS fields.

const ctx = { now: Date.UTC(2026, 11, 1) };
function event(o: ParseOutcome): ParsedEvent {
  if (o.status !== "event") throw new Error(`expected an event, got ${o.status}: ${o.reason}`);
  return o.event;
}
const reason = (o: ParseOutcome) => (o.status === "event" ? "(event)" : o.reason);

const EVE = {
  timestamp: "2026-11-30T10:00:00.123456+0000",
  flow_id: 2191386088856669,
  in_iface: "enp0s3",
  event_type: "alert",
  src_ip: "192.168.1.146",
  src_port: 32858,
  dest_ip: "93.184.216.34",
  dest_port: 80,
  proto: "TCP",
  alert: { action: "allowed", gid: 1, signature_id: 2013028, rev: 4, signature: "ET POLICY curl User-Agent Outbound", category: "Attempted Information Leak", severity: 2 },
};

const filebeat = {
  "@timestamp": "2026-11-30T10:00:00.123Z",
  agent: { type: "filebeat", version: "7.17.0", hostname: "sensor-1" },
  destination: { ip: "93.184.216.34", port: 80, bytes: 1654 },
  ecs: { version: "1.12.0" },
  event: { category: ["network", "intrusion_detection"], dataset: "suricata.eve", kind: "alert", module: "suricata", outcome: "allowed", severity: 2 },
  host: { name: "sensor-1" },
  message: "Attempted Information Leak",
  network: { community_id: "1:Tx1T2pcsxn4KDSlkBTi/5q9tZuo=", protocol: "http", transport: "tcp" },
  rule: { category: "Attempted Information Leak", id: "2013028", name: "ET POLICY curl User-Agent Outbound" },
  source: { ip: "192.168.1.146", port: 32858 },
  suricata: { eve: { alert: { category: "Attempted Information Leak", gid: 1, rev: 4, signature: "ET POLICY curl User-Agent Outbound", signature_id: 2013028 }, event_type: "alert", flow_id: 2191386088856669, in_iface: "enp0s3", tx_id: 0 } },
  tags: ["suricata"],
};

describe("Suricata EVE as shippers deliver it", () => {
  it("reads plain EVE with a shipper's extra top-level fields (Logstash's @timestamp, @version, tags, host as an object)", () => {
    const e = event(parseEveLine(JSON.stringify({ ...EVE, "@timestamp": "2026-11-30T10:00:01.000Z", "@version": "1", tags: ["beats_input_codec_plain_applied"], host: { name: "sensor-1" }, type: "eve" }), ctx));
    expect(e).toMatchObject({ time: Date.UTC(2026, 10, 30, 10, 0, 0, 123), signature: "ET POLICY curl User-Agent Outbound", src_ip: "192.168.1.146" });
  });

  it("takes the time from @timestamp when Logstash's date filter removed the record's own", () => {
    const { timestamp: _, ...rest } = EVE;
    void _;
    expect(event(parseEveLine(JSON.stringify({ ...rest, "@timestamp": "2026-11-30T10:00:02.000Z" }), ctx)).time).toBe(Date.UTC(2026, 10, 30, 10, 0, 2));
  });

  it("reads Filebeat's suricata module document: suricata.eve, with the addresses, ports, protocol, time, severity and action the module moved to ECS", () => {
    const e = event(parseEveLine(JSON.stringify(filebeat), ctx));
    expect(e).toMatchObject({ time: Date.UTC(2026, 10, 30, 10, 0, 0, 123), kind: "ids_alert", severity: "medium", service: "suricata", signature: "ET POLICY curl User-Agent Outbound", src_ip: "192.168.1.146", src_port: 32858, dst_ip: "93.184.216.34", dst_port: 80, proto: "TCP" });
    expect(e.attributes).toMatchObject({ sid: 2013028, gid: 1, rev: 4, category: "Attempted Information Leak", priority: 2, action: "allowed", flow_id: 2191386088856669, in_iface: "enp0s3", host: "sensor-1" });
    expect(e.fingerprint).toMatch(/^suricata:[0-9a-f]{32}$/);
  });

  it("reads the same document with dotted keys, as exports flatten it, and inside an Elasticsearch hit", () => {
    const flat: Record<string, unknown> = { "@timestamp": filebeat["@timestamp"], "source.ip": "192.168.1.146", "source.port": 32858, "destination.ip": "93.184.216.34", "destination.port": 80, "network.transport": "tcp", "event.severity": 2 };
    for (const [k, v] of Object.entries(filebeat.suricata.eve.alert)) flat[`suricata.eve.alert.${k}`] = v;
    flat["suricata.eve.event_type"] = "alert";
    const e = event(parseEveLine(JSON.stringify(flat), ctx));
    expect(e).toMatchObject({ signature: "ET POLICY curl User-Agent Outbound", src_ip: "192.168.1.146", dst_port: 80, proto: "TCP", severity: "medium" });
    const hit = event(parseEveLine(JSON.stringify({ _index: "filebeat-7.17.0-2026.11.30", _id: "CZwNnXEB2bWS8Caznhp9", _source: filebeat }), ctx));
    expect(hit).toMatchObject({ signature: "ET POLICY curl User-Agent Outbound", src_ip: "192.168.1.146" });
  });

  it("reads the EVE line a shipper kept in message (Filebeat's log input, Logstash without a json codec, Security Onion) as that line: its fingerprint is the line's", () => {
    const line = JSON.stringify(EVE);
    const doc = { "@timestamp": "2026-11-30T10:00:05.000Z", message: line, log: { file: { path: "/var/log/suricata/eve.json" } }, input: { type: "log" }, host: { name: "so-sensor" }, ecs: { version: "8.0.0" } };
    const e = event(parseEveLine(JSON.stringify(doc), ctx));
    const direct = event(parseEveLine(line, ctx));
    expect(e).toMatchObject({ time: direct.time, signature: direct.signature, src_ip: "192.168.1.146", fingerprint: direct.fingerprint });
    expect(e.attributes?.host).toBe("so-sensor");
    expect(e.raw).toBe(direct.raw);
  });

  it("reads Security Onion's document as its export flattens it (dotted keys, the EVE line in message)", () => {
    const so = { "@timestamp": "2026-11-30T10:00:00.200Z", "@version": "1", "data_stream.dataset": "suricata", "destination.ip": "93.184.216.34", "event.dataset": "suricata.alert", "event.module": "suricata", "event.severity": 1, "log.file.path": "/nsm/suricata/eve-2026-11-30-09:24.json", "log.id.uid": "2191386088856669", "message": JSON.stringify(EVE), "observer.name": "so-sensor", "rule.name": EVE.alert.signature };
    const e = event(parseEveLine(JSON.stringify(so), ctx));
    expect(e).toMatchObject({ signature: "ET POLICY curl User-Agent Outbound", src_ip: "192.168.1.146", severity: "medium", fingerprint: event(parseEveLine(JSON.stringify(EVE), ctx)).fingerprint, attributes: { host: "so-sensor" } });
  });

  it("skips a shipped flow or dns record as context, the flow still handed to scan detection", () => {
    const flow = { ...filebeat, event: { ...filebeat.event, kind: "event" }, suricata: { eve: { event_type: "flow", flow_id: 42, flow: { start: "2026-11-30T09:59:00.000000+0000", state: "new" } } } };
    const o = parseEveLine(JSON.stringify(flow), ctx);
    expect(o).toMatchObject({ status: "skipped", reason: "eve flow: context, not stored", flow: { src_ip: "192.168.1.146", dst_ip: "93.184.216.34", dst_port: 80, proto: "TCP" } });
  });

  it("refuses a document with ECS fields and no EVE record, naming what it reads", () => {
    const ecs = { "@timestamp": "2026-11-30T10:00:00Z", event: { kind: "alert", module: "suricata" }, source: { ip: "192.168.1.146" }, rule: { name: "ET POLICY curl User-Agent Outbound" } };
    expect(reason(parseEveLine(JSON.stringify(ecs), ctx))).toMatch(/^no EVE record in this document: expected event_type \(Suricata's eve\.json\), suricata\.eve \(Filebeat's suricata module\) or the EVE line in message/);
    expect(reason(parseEveLine(JSON.stringify({ ...filebeat, suricata: { eve: { alert: filebeat.suricata.eve.alert } } }), ctx))).toMatch(/^suricata\.eve\.event_type: missing/);
    // a record that is neither EVE nor a shipper's document keeps its reason
    expect(reason(parseEveLine('{"foo":1}', ctx))).toBe("event_type: missing");
  });

  it("ignores a dotted key that would reach Object.prototype", () => {
    const o = parseEveLine('{"__proto__.polluted":1,"constructor.prototype.x":2,"suricata.eve.event_type":"stats","@timestamp":"2026-11-30T10:00:00Z"}', ctx);
    expect(o.status).toBe("skipped");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
