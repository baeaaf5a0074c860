import { describe, expect, it } from "vitest";
import type { ParseOutcome, ParsedEvent } from "../types";
import { parseEveLine } from "./eve";
import { parseFastLine } from "./fast";
import { parseSyslogLine } from "./syslog";

// Lines as the programs write them in the wild, in the forms no other test spells out: journalctl's
// short-iso family, the session and logind lines that must stay skipped, Suricata 4–7 EVE records
// with their optional fields, fast.log's unknown-protocol braces.

const ctx = { now: Date.UTC(2026, 11, 3, 18) };

function event(o: ParseOutcome): ParsedEvent {
  if (o.status !== "event") throw new Error(`expected an event, got ${o.status}: ${o.reason}`);
  return o.event;
}
const reason = (o: ParseOutcome) => (o.status === "event" ? "(event)" : o.reason);
const FAILED = "sshd[1001]: Failed password for invalid user admin from 203.0.113.5 port 40001 ssh2";

describe("journalctl's stamps", () => {
  it("reads -o short-iso, short-iso-precise (with and without the colon), short-precise and short: one instant", () => {
    const at = Date.UTC(2026, 11, 3, 9, 0, 1);
    for (const [stamp, ms] of [
      ["2026-12-03T10:00:01+0100", at],
      ["2026-12-03T10:00:01.123456+01:00", at + 123],
      ["2026-12-03T10:00:01.123456+0100", at + 123],
      ["Dec 03 10:00:01.123456", at + 123],
      ["Dec 03 10:00:01", at],
    ] as const) {
      expect(event(parseSyslogLine(`${stamp} web1 ${FAILED}`, { ...ctx, timeZone: "Europe/Berlin" }))).toMatchObject({ time: ms, user: "admin", src_ip: "203.0.113.5", attributes: { host: "web1" } });
    }
  });

  it("skips logind's, systemd's and login's session lines, naming the program", () => {
    for (const [line, program] of [
      ["Dec  3 10:00:01 web1 systemd-logind[512]: New session 3 of user bob.", "systemd-logind"],
      ["Dec  3 10:00:01 web1 systemd-logind[512]: Session 3 logged out. Waiting for processes to exit.", "systemd-logind"],
      ["Dec  3 10:00:01 web1 systemd[1]: pam_unix(systemd-user:session): session opened for user bob(uid=1000) by (uid=0)", "systemd"],
      ["Dec  3 10:00:01 web1 login[1234]: pam_unix(login:session): session opened for user bob(uid=1000) by LOGIN(uid=0)", "login"],
      ["Dec  3 10:00:01 web1 CRON[1234]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)", "CRON"],
    ]) {
      expect(reason(parseSyslogLine(line, ctx))).toBe(`not security-relevant: ${program}`);
    }
  });
});

describe("Suricata EVE records with their optional fields", () => {
  it("reads an alert with vlan, tx_id, flowbits, metadata and an app-layer object as the alert it is", () => {
    const rec = {
      timestamp: "2023-05-10T14:22:01.123456-0500",
      flow_id: 1117051772115445,
      in_iface: "enp3s0",
      event_type: "alert",
      vlan: [10, 20],
      src_ip: "2001:0db8:0000:0000:0000:0000:0000:0001",
      src_port: 51000,
      dest_ip: "2001:db8::2",
      dest_port: 80,
      proto: "TCP",
      tx_id: 0,
      alert: { action: "blocked", gid: 1, signature_id: 2013028, rev: 7, signature: "ET POLICY curl User-Agent Outbound", category: "Attempted Information Leak", severity: 2, metadata: { signature_severity: ["Major"] } },
      http: { hostname: "example.com", url: "/", http_user_agent: "curl/7.47.0" },
      app_proto: "http",
      flowbits: ["ET.curl"],
      flow: { pkts_toserver: 4, start: "2023-05-10T14:22:00.000000-0500" },
    };
    expect(event(parseEveLine(JSON.stringify(rec), ctx))).toMatchObject({
      time: Date.UTC(2023, 4, 10, 19, 22, 1, 123),
      kind: "ids_alert",
      severity: "medium",
      src_ip: "2001:db8::1",
      src_port: 51000,
      dst_ip: "2001:db8::2",
      dst_port: 80,
      signature: "ET POLICY curl User-Agent Outbound",
      attributes: { sid: 2013028, action: "blocked", app_proto: "http", in_iface: "enp3s0" },
    });
  });

  it("skips drop and frame records as context", () => {
    expect(reason(parseEveLine('{"timestamp":"2023-05-10T14:22:01.123456+0000","event_type":"drop","src_ip":"10.0.0.1","src_port":1,"dest_ip":"10.0.0.2","dest_port":2,"proto":"TCP","drop":{"len":60,"reason":"rules"}}', ctx))).toBe("eve drop: context, not stored");
    expect(reason(parseEveLine('{"timestamp":"2023-05-10T14:22:01.123456+0000","event_type":"frame","frame":{"type":"pdu","payload":"AAAA"}}', ctx))).toBe("eve frame: context, not stored");
  });
});

describe("fast.log's protocol braces", () => {
  it("keeps a protocol without a name as written ({PROTO:047}), its addresses bare", () => {
    expect(event(parseFastLine("12/03/2026-10:00:01.123456  [**] [1:2013028:7] ET POLICY x [**] [Classification: Misc activity] [Priority: 3] {PROTO:047} 10.0.0.1 -> 10.0.0.2", ctx))).toMatchObject({ proto: "PROTO:047", src_ip: "10.0.0.1", src_port: null, dst_ip: "10.0.0.2", dst_port: null });
  });
});
