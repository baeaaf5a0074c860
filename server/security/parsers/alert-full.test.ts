import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseUpload } from "../formats";
import type { ParseOutcome, ParsedEvent } from "../types";
import { parseFastLine } from "./fast";

// Snort's alert_full (Snort 2's `output alert_full`, Snort 3's alert_full): one alert over several
// lines, a blank line after each. Records modelled on what Snort writes, documentation addresses.

const ctx = { now: Date.UTC(2026, 11, 1) };
const upload = (lines: string[]) => parseUpload("fast", Buffer.from(lines.join("\n")), "text/plain", ctx).map((o) => o.outcome);
function event(o: ParseOutcome): ParsedEvent {
  if (o.status !== "event") throw new Error(`expected an event, got ${o.status}: ${o.reason}`);
  return o.event;
}
const reason = (o: ParseOutcome) => (o.status === "event" ? "(event)" : o.reason);
const PART = { status: "skipped", reason: "alert_full: a line of the record above (its first line carries the outcome)" };

const TCP = [
  "[**] [1:2010935:3] ET POLICY Suspicious inbound to MSSQL port 1433 [**]",
  "[Classification: Potentially Bad Traffic] [Priority: 2] ",
  "11/30-10:00:00.123456 203.0.113.7:50284 -> 192.0.2.10:1433",
  "TCP TTL:111 TOS:0x0 ID:256 IpLen:20 DgmLen:48 DF",
  "******S* Seq: 0x3A2B4C5D  Ack: 0x0  Win: 0x2000  TcpLen: 28",
  "TCP Options (4) => MSS: 1460 NOP NOP SackOK ",
  "[Xref => http://doc.emergingthreats.net/2010935]",
];
const ICMP = [
  '[**] [1:384:8] "PROTOCOL-ICMP PING" [**]',
  "[Priority: 3] ",
  "11/30-10:00:05.000001 192.0.2.1 -> 198.51.100.2",
  "ICMP TTL:64 TOS:0x0 ID:0 IpLen:20 DgmLen:84 DF",
  "Type:8  Code:0  ID:17  Seq:1  ECHO",
];

describe("Snort alert_full records on /ingest/fast", () => {
  it("reads each record as one event on its first line (rule, message, classification, priority, time, addresses, ports, protocol); its other lines are skipped, counted", () => {
    // (the upload ends "…ECHO\n\n": the blank line after the last record)
    const out = upload([...TCP, "", ...ICMP, "", ""]);
    expect(out).toHaveLength(14);
    const tcp = event(out[0]);
    expect(tcp).toMatchObject({ time: Date.UTC(2026, 10, 30, 10, 0, 0, 123), kind: "ids_alert", service: "snort", signature: "ET POLICY Suspicious inbound to MSSQL port 1433", src_ip: "203.0.113.7", src_port: 50284, dst_ip: "192.0.2.10", dst_port: 1433, proto: "TCP" });
    expect(tcp.attributes).toMatchObject({ gid: 1, sid: 2010935, rev: 3, category: "Potentially Bad Traffic", priority: 2 });
    expect(tcp.raw).toBe(TCP.join("\n"));
    expect(out.slice(1, 7)).toEqual(Array(6).fill(PART));
    expect(out[7]).toEqual({ status: "skipped", reason: "blank line" });
    expect(event(out[8])).toMatchObject({ signature: "PROTOCOL-ICMP PING", src_ip: "192.0.2.1", src_port: null, dst_ip: "198.51.100.2", dst_port: null, proto: "ICMP", time: Date.UTC(2026, 10, 30, 10, 0, 5) });
    expect(out.slice(9, 13)).toEqual(Array(4).fill(PART));
  });

  it("reads the same alert as fast.log reads it, and a record with -e's link-layer line (the addresses on the line after)", () => {
    const fast = event(parseFastLine("11/30-10:00:00.123456  [**] [1:2010935:3] ET POLICY Suspicious inbound to MSSQL port 1433 [**] [Classification: Potentially Bad Traffic] [Priority: 2] {TCP} 203.0.113.7:50284 -> 192.0.2.10:1433", ctx));
    const full = event(upload([...TCP, "", ""])[0]);
    expect({ ...full, raw: null, fingerprint: null }).toEqual({ ...fast, raw: null, fingerprint: null });
    const eth = upload([TCP[0], TCP[1], "11/30-10:00:00.123456 0:C:29:AA:BB:CC -> 0:50:56:DD:EE:FF type:0x800 len:0x3C", "203.0.113.7:50284 -> 192.0.2.10:1433 TCP TTL:111 TOS:0x0 ID:256 IpLen:20 DgmLen:48 DF", "", ""]);
    expect(event(eth[0])).toMatchObject({ src_ip: "203.0.113.7", src_port: 50284, dst_port: 1433, proto: "TCP" });
  });

  it("reads records beside fast.log lines, and one not followed by a blank line when the next record starts", () => {
    const out = upload(["11/30-10:00:09.000000 [**] [1:1:1] x [**] {TCP} 10.0.0.1:1 -> 10.0.0.2:2", ...ICMP, ...TCP, "", ""]);
    expect(out.map((o) => o.status)).toEqual(["event", "event", "skipped", "skipped", "skipped", "skipped", "event", ...Array(6).fill("skipped"), "skipped"]);
  });

  it("rejects a record cut off at the end of the upload (no blank line after it), its lines skipped", () => {
    const out = upload([...ICMP, "", ...TCP.slice(0, 3)]);
    expect(out[0].status).toBe("event");
    expect(reason(out[6])).toBe("alert_full: the record is cut off at the end of the upload (no blank line after it): send whole records");
    expect(out.slice(7)).toEqual([PART, PART]);
  });

  it("reads the README's example", () => {
    const readme = readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8").split("\n");
    const at = readme.findIndex((l) => l.startsWith("    [**] [1:2010935:3] "));
    const example = readme.slice(at, at + 5).map((l) => l.slice(4));
    expect(event(upload([...example, "", ""])[0])).toMatchObject({ signature: "ET POLICY Suspicious inbound to MSSQL port 1433", time: Date.UTC(2026, 10, 30, 10, 0, 2, 123), dst_port: 1433, proto: "TCP" });
  });

  it("rejects a record without its stamp line, or with a bad stamp, naming what is wrong", () => {
    expect(reason(upload([TCP[0], TCP[1], "TCP TTL:111", "", ""])[0])).toBe("alert_full: no MM/DD-hh:mm:ss stamp line with the addresses after the rule's lines");
    expect(reason(upload([TCP[0], "02/30-10:00:00.1 203.0.113.7:1 -> 192.0.2.10:2", "TCP TTL:1", "", ""])[0])).toBe('timestamp: not a calendar date: "02/30-10:00:00.1"');
  });
});
